"""`citylake status`: the last nights from Airflow's metadata database, plus the lake's state."""

from __future__ import annotations

from rich.table import Table

from citylake.core import state
from citylake.core.paths import Home
from citylake.orchestration import airflow_env, alerts, night_plan


def recent_runs(h: Home, nights: int = 3) -> list[dict]:
    """DAG runs of the citylake DAGs (newest first) with their task instances."""
    airflow_env.apply(h=h)
    from airflow.models import DagRun, TaskInstance
    from airflow.utils.session import create_session

    out = []
    with create_session() as session:
        runs = (session.query(DagRun).filter(DagRun.dag_id.like("citylake%"))
                .order_by(DagRun.run_after.desc()).limit(nights * 4).all())
        for dr in runs:
            tis = (session.query(TaskInstance)
                   .filter(TaskInstance.dag_id == dr.dag_id, TaskInstance.run_id == dr.run_id).all())
            out.append({
                "dag_id": dr.dag_id, "run_id": dr.run_id, "state": str(dr.state),
                "night": (dr.conf or {}).get("date"),
                # in-process runs too carry their real start (citylake.orchestration.night.real_start_dates)
                "start": dr.start_date, "end": dr.end_date,
                "tasks": sorted(({"task_id": ti.task_id, "map_index": ti.map_index, "state": str(ti.state),
                                  "label": ti.rendered_map_index or (str(ti.map_index) if ti.map_index >= 0 else ""),
                                  "seconds": ti.duration or 0.0} for ti in tis),
                                key=lambda t: (t["task_id"], t["map_index"])),
            })
    return out


def print_status(console, h: Home, nights: int = 3) -> None:
    if not airflow_env.has_metadata(h):
        console.print("No nights run yet: run `citylake demo` or `citylake nightly --date D`.")
        return
    runs = recent_runs(h, nights)
    t = Table(title="Recent DAG runs (from Airflow metadata)")
    for c in ("dag", "night", "run", "state", "tasks ok/failed/other", "duration s"):
        t.add_column(c, no_wrap=c in ("dag", "night"))
    for r in runs:
        states = [x["state"] for x in r["tasks"]]
        ok = sum(s.endswith("success") for s in states)
        failed = sum(s.endswith("failed") for s in states)
        dur = (r["end"] - r["start"]).total_seconds() if r["start"] and r["end"] else 0.0
        t.add_row(r["dag_id"], r["night"] or "", r["run_id"], r["state"],
                  f"{ok}/{failed}/{len(states) - ok - failed}", f"{dur:.1f}")
    console.print(t)
    if runs:
        last = runs[0]
        tt = Table(title=f"Tasks of {last['dag_id']} {last['run_id']}")
        for c in ("task", "map", "state", "seconds"):
            tt.add_column(c)
        for x in last["tasks"]:
            tt.add_row(x["task_id"], x["label"], x["state"], f"{x['seconds']:.1f}")
        console.print(tt)
        night = last["night"]
        if night:
            from catalogs.exchange_log import summary

            unusable = night_plan.unusable_feeds(night, h)
            console.print(f"Night {night}: {len(state.read_all(night, 'landing', h=h))} deliveries, "
                          f"{len(unusable)} not usable" + (f": {', '.join(unusable)}" if unusable else ""))
            exchanges = summary(night, h=h)
            if exchanges:
                console.print("Exchanges 交换: " + ", ".join(
                    f"{kind} {v.get('exchanges', 0)}" for kind, v in sorted(exchanges.items())))
    for alert in alerts.recent_alerts(h, 5):
        console.print(f"[red]SLA alert[/] {alert['at']}: {alert['message']} ({alert.get('dag_id')} {alert.get('run_id')})")
