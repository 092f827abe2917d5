"""An in-process night runs the nightly DAG without the scheduler's deadline alert (no env flag)."""

from citylake.orchestration.night import in_process_dag, load_dag


def test_the_nightly_dag_has_a_deadline_the_in_process_run_removes():
    dag = load_dag("citylake_nightly")
    assert dag.deadline is not None  # the scheduler's SLA alert (citylake.orchestration.alerts)
    assert in_process_dag(dag).deadline is None
    assert load_dag("citylake_nightly").deadline is not None  # a fresh parse keeps it
