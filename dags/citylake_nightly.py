"""
### citylake nightly batch 夜间批处理

Lands every department's delivery of the night into the raw Parquet zone (one mapped
task per feed), gates each feed at the department → raw hand-over with its generated
Great Expectations suite, then builds the dbt libraries on the DuckLake lake, leaving
out whatever depends on a failed or blocked feed (those keep their last good snapshot).

* Schedule: 01:30 every night in the city's time zone (`CITYLAKE_TIMEZONE`, default
  Asia/Shanghai); the night processed is the calendar day before the run (`ds` of the
  data interval). `catchup=False`: a missed night is re-run on purpose with
  `airflow dags backfill`, never replayed automatically in bulk.
* Tasks are generated from the feed registry (`ingest/feeds/*.yaml`): add a feed there
  and its tasks appear here.
* Writers to the lake run in the `lake_writer` pool (one slot): DuckLake takes one writer.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from citylake.orchestration import DEFAULT_ARGS, LAKE_WRITER_POOL, base_assets, feed_ids, night_of, nightly_schedule


@dag(
    dag_id="citylake_nightly",
    schedule=nightly_schedule(),
    start_date=DEFAULT_ARGS["start_date"],
    catchup=False,
    default_args={k: v for k, v in DEFAULT_ARGS.items() if k != "start_date"},
    tags=["citylake", "nightly", "ingest", "dbt", "quality"],
    max_active_runs=1,
    doc_md=__doc__,
)
def citylake_nightly():
    @task(retries=0)
    def land(feed_id: str, **context) -> dict:
        """Land one feed's delivery (department → raw lake); a bad file fails without retry."""
        from citylake.orchestration import run_contract_step
        from citylake.pipeline import land as step

        return run_contract_step(step, feed_id, night_of(context))

    @task(retries=0, pool=LAKE_WRITER_POOL)
    def gate(landing: dict, **context) -> dict:
        """Department → raw hand-over gate: the feed's generated expectation suite."""
        from citylake.orchestration import run_contract_step
        from citylake.pipeline import gate_feed as step

        return run_contract_step(step, landing["feed_id"], night_of(context))

    @task(trigger_rule="all_done", pool=LAKE_WRITER_POOL, outlets=base_assets())
    def build_libraries(**context) -> dict:
        """dbt build of staging → base libraries, excluding what depends on unusable feeds."""
        from citylake.pipeline import dbt_build

        out = dbt_build(night_of(context))
        return {k: v for k, v in out.items() if k != "results"}

    gates = gate.expand(landing=land.expand(feed_id=feed_ids()))
    gates >> build_libraries()


dag = citylake_nightly()
