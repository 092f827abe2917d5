"""Run the toy DAG once in-process as `citylake nightly` runs a night (argv: home, 0/1 = with the
fixes of citylake.orchestration.night/task_logs) and print what Airflow recorded, as JSON."""

import json
import runpy
import sys
from contextlib import ExitStack
from pathlib import Path

from citylake.core.paths import Home
from citylake.orchestration import airflow_env

h = Home(Path(sys.argv[1])).ensure()
airflow_env.ensure_metadata_db(h=h)

import pendulum  # noqa: E402
from airflow.models.taskinstance import TaskInstance  # noqa: E402
from airflow.utils.log.log_reader import TaskLogReader  # noqa: E402
from airflow.utils.session import create_session  # noqa: E402
from sqlalchemy import select  # noqa: E402

from citylake.orchestration import night, task_logs  # noqa: E402

dag = runpy.run_path(str(Path(__file__).parent / "dags" / "toy_dag.py"))["toy"]
with ExitStack() as stack:
    if sys.argv[2] == "1":
        stack.enter_context(night.real_start_dates())
        stack.enter_context(task_logs.capture())
    run = dag.test(logical_date=pendulum.datetime(2026, 11, 26, 1, 30, tz="Asia/Shanghai"))
out = {"run": {k: str(getattr(run, k)) for k in ("logical_date", "start_date", "end_date")}, "tis": []}
with create_session() as session:
    for ti in session.scalars(select(TaskInstance).where(TaskInstance.dag_id == dag.dag_id)):
        chunks, _ = TaskLogReader().read_log_chunks(ti, ti.try_number, {})
        events = [e.model_dump(mode="json") for e in chunks if getattr(e, "logger", None)]
        out["tis"].append({"map_index": ti.map_index, "label": ti.rendered_map_index, "state": str(ti.state),
                           "start_date": str(ti.start_date), "log": events})
print("RESULT " + json.dumps(out))
