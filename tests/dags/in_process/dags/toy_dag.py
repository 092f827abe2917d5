"""A two-instance mapped DAG for tests/dags/test_in_process_runs.py: one instance succeeds, one fails."""

import logging

import pendulum
from airflow.sdk import dag, task


@dag(dag_id="in_process_toy", schedule=None, start_date=pendulum.datetime(2026, 1, 1), catchup=False)
def in_process_toy():
    @task(retries=0, map_index_template="{{ task.op_kwargs['feed_id'] }}")
    def land(feed_id: str) -> str:
        logging.getLogger("citylake.toy").info("landing %s", feed_id)
        if feed_id == "bad_feed":
            raise ValueError("bad delivery of bad_feed: wrong encoding")
        return feed_id

    land.expand(feed_id=["good_feed", "bad_feed"])


toy = in_process_toy()
