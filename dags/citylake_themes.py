"""
### citylake thematic libraries and indicators 专题库与指标库

Starts when the base layer of the night is done (Asset `citylake://lake/base`, emitted by
`citylake_nightly`), not at a guessed clock time. Checks the relationships between base
libraries (tests spanning two libraries, now that all are built), builds the 15 thematic libraries and the
indicator library with dbt (cosmos), leaving out models downstream of unusable feeds or
blocked base libraries, gates them (base → theme hand-over), and emits
`citylake://lake/theme`, which starts `citylake_publish`.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from citylake.core.paths import home
from citylake.orchestration import dag_spec as o


@dag(
    dag_id="citylake_themes",
    schedule=[o.layer_asset("base")],
    catchup=False,
    render_template_as_native_obj=True,
    tags=["citylake", "nightly", "dbt", "theme", "indicator"],
    max_active_runs=1,
    doc_md=__doc__,
    **o.dag_kwargs(),
)
def citylake_themes():
    @task
    def dbt_plan(**context) -> dict:
        from citylake.orchestration.pipeline import plan_dbt

        return plan_dbt(o.night_of(context), "theme", h=home())

    crosschecks = o.cosmos_build("dbt_base_crosschecks", ["marts.base,test_name:relationships"], command="test", h=home())
    themes = o.cosmos_build("dbt_themes", ["marts.theme"], trigger_rule="all_done", h=home())
    indicators = o.cosmos_build("dbt_indicators", ["marts.indicator"], trigger_rule="all_done", h=home())

    @task(retries=0, pool=o.LAKE_WRITER_POOL, trigger_rule="all_done")
    def gate(libraries: list[str], layer: str, **context) -> dict:
        """Base → theme hand-over gates, one task for the layer's libraries (one GX context and
        manifest read); each library is decided and rolled back on its own, the task fails naming
        every blocked one."""
        from citylake.orchestration.pipeline import gate_libraries

        return o.run_contract_step(gate_libraries, libraries, o.night_of(context), layer, h=home())

    @task(trigger_rule="all_done", outlets=[o.layer_asset("theme")])
    def theme_done(**context) -> dict:
        """The thematic layer is done for the night: start the publishing DAG."""
        date = o.night_of(context)
        context["outlet_events"][o.layer_asset("theme")].extra = {"date": date}
        return {"date": date}

    theme_gates = gate.override(task_id="gate_themes")(libraries=list(o.THEME_LIBRARIES), layer="theme")
    indicator_gate = gate.override(task_id="gate_indicator")(libraries=["indicator"], layer="indicator")
    dbt_plan() >> crosschecks >> themes >> indicators >> [theme_gates, indicator_gate] >> theme_done()


dag = citylake_themes()
o.add_night_verdict(dag)
