"""
### citylake publishing 发布 — quality scores and reports, catalogs, open data and sharing packages

Starts when the thematic layer of the night is done (Asset `citylake://lake/theme`).
Scores every feed and department on GB/T 36344's six dimensions and writes each
department's quality report; regenerates the resource catalogs (共享目录 / 开放目录) and
publishes open data and sharing packages, each leak-checked; logs every exchange. Its last task
records the night's end snapshot in `catalog.nights` (`citylake sql --night D`).
"""

from __future__ import annotations

from airflow.sdk import dag, task

from citylake.core.paths import home
from citylake.orchestration import dag_spec as o


@dag(
    dag_id="citylake_publish",
    schedule=[o.layer_asset("theme")],
    catchup=False,
    tags=["citylake", "nightly", "quality", "catalog", "publish"],
    max_active_runs=1,
    doc_md=__doc__,
    **o.dag_kwargs(),
)
def citylake_publish():
    @task(pool=o.LAKE_WRITER_POOL)
    def quality_scores(**context) -> dict:
        """GB/T 36344 scores per feed and department, stored with history in the lake."""
        from citylake.orchestration.pipeline import score_quality

        return score_quality(o.night_of(context), h=home())

    @task
    def quality_reports(**context) -> dict:
        """One HTML report per department (offline, bilingual) and the index page."""
        from citylake.orchestration.pipeline import write_reports

        return write_reports(o.night_of(context), h=home())

    @task(retries=0, pool=o.LAKE_WRITER_POOL)
    def catalogs_and_packages(**context) -> dict:
        """Catalogs, exports, open data and sharing packages; the leak check fails this task."""
        from citylake.orchestration.pipeline import publish

        return o.run_contract_step(publish, o.night_of(context), h=home())

    @task(pool=o.LAKE_WRITER_POOL, trigger_rule="all_done")
    def night_end(**context) -> dict:
        """After every other task: marks the lake's snapshot as the end of the night (catalog.nights)."""
        from citylake.orchestration.pipeline import end_night

        return end_night(o.night_of(context), h=home())

    [quality_scores() >> quality_reports(), catalogs_and_packages()] >> night_end()


dag = citylake_publish()
o.add_night_verdict(dag)   # night_end runs all_done: without the verdict a failed leak check left the run green
