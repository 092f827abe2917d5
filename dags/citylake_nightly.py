"""
### citylake nightly batch 夜间批处理 — ingest, hand-over gates, base libraries

1. **Ingest 接入** — one task group per department (generated from `ingest/feeds/*.yaml`), in
   each a task **mapped over the department's feed deliveries** that lands the file in the raw
   Parquet zone, then one `gate` task that gates every feed of the department that landed
   (department → raw lake) with the feed's generated Great Expectations suite, each feed decided
   on its own. A bad delivery fails its own landing or the department's gate at once (no retry:
   a bad file does not get better) and makes only that feed unusable; everything else goes on.
2. **dbt** (astronomer-cosmos, one `dbt build` task per layer): staging → intermediate → the
   8 base libraries. `dbt_plan` excludes every model downstream of an unusable feed, so those
   keep their last good snapshot.
3. Each base library is gated (staging → base hand-over; a model or test of the library that
   failed in `dbt_base` blocks it too) and then emits its Asset
   `citylake://lake/base/<library>`; `lineage_check` proves 一数一源 on the compiled models
   (sqlglot column lineage: every base column from its element's authoritative feed) and
   refreshes the dbt docs; `base_done` emits `citylake://lake/base`, which starts
   the `citylake_themes` DAG.

Schedule: 01:30 every night in the city's time zone (`CITYLAKE_TIMEZONE`, default
Asia/Shanghai); the night processed is the day before. `catchup=False` on purpose: a missed
night is re-run deliberately (`airflow dags backfill` or *Clear* in the UI), and every step is
idempotent, so a re-run produces the same lake. Writers to the DuckLake lake share the
`lake_writer` pool (one slot).
"""

from __future__ import annotations

from airflow.sdk import TaskGroup, dag, task

from citylake.core.paths import home
from citylake.orchestration import dag_spec as o


@dag(
    dag_id="citylake_nightly",
    schedule=o.nightly_schedule(),
    catchup=False,
    render_template_as_native_obj=True,
    tags=["citylake", "nightly", "ingest", "dbt", "quality"],
    max_active_runs=1,
    doc_md=__doc__,
    **o.dag_kwargs(deadline=True),
)
def citylake_nightly():
    # mapped instances are labelled by feed id in the UI (map_index_template), not [0], [1]
    @task(retries=0, retry_policy=o.contract_retry_policy(), map_index_template="{{ task.op_kwargs['feed_id'] }}")
    def land(feed_id: str, **context) -> dict:
        """Land one feed's delivery (department → raw lake)."""
        from citylake.orchestration.pipeline import land as step

        return o.run_contract_step(step, feed_id, o.night_of(context), h=home())

    @task(retries=0, pool=o.LAKE_WRITER_POOL, trigger_rule="all_done")
    def gate(feed_ids: list[str], **context) -> dict:
        """Department → raw hand-over gates: each landed feed's generated expectation suite, decided feed by feed."""
        from citylake.orchestration.pipeline import gate_feeds as step

        return o.run_contract_step(step, feed_ids, o.night_of(context), h=home())

    ingest_done = []
    for dept, feeds in o.feeds_by_department().items():
        with TaskGroup(group_id=f"ingest_{dept}", tooltip=f"Deliveries of {dept}") as tg:
            land.expand(feed_id=feeds) >> gate(feeds)
        ingest_done.append(tg)

    @task(trigger_rule="all_done")
    def dbt_plan(**context) -> dict:
        """The night's date, the lake snapshot before the build, and the models to leave out."""
        from citylake.orchestration.pipeline import plan_dbt

        return plan_dbt(o.night_of(context), "base", h=home())

    plan = dbt_plan()
    ingest_done >> plan
    staging = o.cosmos_build("dbt_staging", ["staging"], h=home())
    intermediate = o.cosmos_build("dbt_intermediate", ["intermediate"], trigger_rule="all_done", h=home())
    plan >> staging >> intermediate

    @task(retries=0, pool=o.LAKE_WRITER_POOL, trigger_rule="all_done")
    def gate_library(library: str, **context) -> dict:
        """Staging → base hand-over gate on one base library; a blocked library is rolled back."""
        from citylake.orchestration.pipeline import gate_library as step

        return o.run_contract_step(step, library, o.night_of(context), "base", h=home())

    # one dbt build for the 8 base libraries; a test spanning two libraries runs in the themes DAG
    # (dbt_base_crosschecks); each library's gate is blocked by its own failed nodes
    build = o.cosmos_build("dbt_base", o.layer_select("base"), trigger_rule="all_done",
                           exclude_also=("tag:cross_library",), h=home())
    intermediate >> build
    gates = [gate_library.override(task_id=f"gate_base_{lib}", outlets=[o.library_asset("base", lib)])(lib)
             for lib in o.BASE_LIBRARIES]
    build >> gates

    @task(trigger_rule="all_done", outlets=[o.layer_asset("base")])
    def base_done(**context) -> dict:
        """The base layer is done for the night (whatever could be built): start the themes DAG."""
        date = o.night_of(context)
        context["outlet_events"][o.layer_asset("base")].extra = {"date": date}
        return {"date": date}

    @task(retries=0, pool=o.LAKE_WRITER_POOL, trigger_rule="all_done")
    def lineage_check(**context) -> dict:
        """一数一源 at build time: every base column traces only to its authoritative feed (and dbt docs)."""
        from citylake.orchestration.pipeline import check_lineage

        return o.run_contract_step(check_lineage, o.night_of(context), h=home())

    gates >> lineage_check() >> base_done()


dag = citylake_nightly()
o.add_night_verdict(dag)
