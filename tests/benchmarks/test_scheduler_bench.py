"""The night under the scheduler, summarised from the API's DAG runs and task instances: the wall
from the nightly run's start to the last run's end, per-stage task seconds with overlapping tasks'
time counted once for "orchestration", the ratios to the in-process night, and one line when a
DAG run failed or never started."""

from __future__ import annotations

from benchmarks.__main__ import summarise
from benchmarks.measure import Measurement
from benchmarks.scheduler import covered_s, failure_line, whole_night


def _at(s: float) -> str:
    return f"2026-11-26T01:{30 + int(s) // 60:02d}:{int(s) % 60:02d}+00:00"


def _run(start: float, end: float, state: str = "success") -> dict:
    return {"state": state, "start_date": _at(start), "end_date": _at(end), "dag_run_id": "r"}


def _ti(task_id: str, start: float, end: float, state: str = "success") -> dict:
    return {"task_id": task_id, "state": state, "start_date": _at(start), "end_date": _at(end),
            "duration": end - start, "pool": "default_pool"}


RUNS = {"citylake_nightly": {**_run(0, 100), "queued_at": "2026-11-26T01:29:57+00:00"}, "citylake_themes": _run(110, 150), "citylake_publish": _run(160, 200)}
TIS = {
    "citylake_nightly": [_ti("ingest_hrss.hrss_insurance.land", 0, 20), _ti("ingest_hrss.hrss_insurance.gate", 10, 30),
                         _ti("dbt_plan", 30, 40), _ti("dbt_base.run", 40, 80)],
    "citylake_themes": [_ti("catalogs_register", 110, 120)],
    "citylake_publish": [_ti("quality_scores", 170, 190)],
}


def test_the_whole_night_spans_the_three_runs_and_counts_overlaps_once():
    out = whole_night(RUNS, TIS)
    assert out["state"] == "success" and failure_line(out) is None
    assert out["wall_s"] == 200.0 and out["task_span_s"] == 190.0 and out["trigger_to_start_s"] == 3.0
    # busy with real work: 0–30 (landing and gate overlap), 40–80, 110–120, 170–190 = 100 s of 200
    assert out["stages_s"] == {"ingest": 20.0, "gates": 20.0, "dbt": 40.0, "catalogs": 10.0, "reports": 20.0,
                               "orchestration": 100.0}
    assert set(out["dags"]) == set(RUNS) and out["dags"]["citylake_nightly"]["wall_s"] == 100.0


def test_covered_seconds_of_nested_and_disjoint_spans():
    from datetime import datetime

    d = lambda s: datetime.fromisoformat(_at(s))  # noqa: E731
    assert covered_s([(d(0), d(50)), (d(10), d(20)), (d(60), d(70)), (d(65), d(90))]) == 80.0
    assert covered_s([]) == 0.0


def test_ratios_to_the_in_process_night_go_into_the_report():
    sched = whole_night(RUNS, TIS)
    results = {
        "product": Measurement("product", 160.0, 150.0, 900.0, 0,
                               detail={"ingest": 20.0, "gates": 20.0, "dbt": 40.0, "catalogs": 10.0, "reports": 20.0,
                                       "orchestration": 5.0, "task_span_s": 95.0}),
        "scheduler": Measurement("scheduler", sched["wall_s"], 300.0, 2000.0, 0, detail=sched),
        "floor_ingest": Measurement("floor_ingest", 10.0, 10.0, 1.0, 0),
        "floor_checks": Measurement("floor_checks", 10.0, 10.0, 1.0, 0),
        "floor_transform": Measurement("floor_transform", 20.0, 20.0, 1.0, 0),
    }
    out = summarise(results, 0.001)
    assert out["ratios"]["scheduler_over_in_process"] == 1.25
    assert out["ratios"]["scheduler_over_in_process_tasks"] == 2.0
    assert out["scheduler_stages_s"]["orchestration"] == 100.0
    assert out["measurements"]["scheduler"]["wall_s"] == 200.0


def test_a_failed_night_names_the_runs_and_tasks_in_one_line():
    runs = {"citylake_nightly": _run(0, 100, state="failed")}
    tis = {"citylake_nightly": [_ti("ingest_hrss.hrss_insurance.land", 0, 20, state="failed")]}
    out = whole_night(runs, tis)
    assert out["state"] == "failed"
    line = failure_line(out)
    assert line == ("under the scheduler: citylake_nightly failed, citylake_themes never ran, citylake_publish "
                    "never ran (failed tasks: citylake_nightly.ingest_hrss.hrss_insurance.land)")
    assert "\n" not in line
