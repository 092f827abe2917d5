"""SLA-style alert: the nightly batch has not finished by its deadline.

Called by Airflow's DeadlineAlert (see citylake.orchestration.dag_spec.dag_kwargs); logs an error
and appends the alert to the night's status (state/alerts.jsonl), which `citylake status` shows.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from citylake.core.paths import Home, home

log = logging.getLogger("citylake.orchestration.alerts")


def night_overdue(context=None, deadline_hours: float = 0.0, **kwargs) -> dict:
    dag_run = (context or {}).get("dag_run") if isinstance(context, dict) else None
    alert = {
        "at": datetime.now(UTC).isoformat(),
        "kind": "night_overdue",
        "dag_id": getattr(dag_run, "dag_id", kwargs.get("dag_id")),
        "run_id": getattr(dag_run, "run_id", kwargs.get("run_id")),
        "deadline_hours": deadline_hours,
        "message": f"nightly batch not finished {deadline_hours} h after it was queued",
    }
    log.error("citylake SLA alert: %s", alert["message"], extra=alert)
    h = home()
    h.state.mkdir(parents=True, exist_ok=True)
    with open(h.state / "alerts.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(alert, ensure_ascii=False) + "\n")
    return alert


def recent_alerts(h: Home, limit: int = 10) -> list[dict]:
    path = h.state / "alerts.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(x) for x in lines]
