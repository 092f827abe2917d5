"""What consumers tell a provider department (提供部门): the objections to its data (数据纠错) and who used
it (谁使用了本部门数据) — read from the platform's metadata database, for the provider's quality report
(quality.report, passed in by the night and the CLI) and `citylake service usage`.

The exchange log names the dataset of a call by its resource code, and a verification call (核验, which
returns no record) by `verify:<model>` of the table it looked up (`verification_dataset`); the
published catalog (`catalog.entries` in the lake) says which department provides either. A call counts as refused when
its status is 400 or more; rows are those served. Raw values stay here: the report masks the
objections' record keys and claimed values by their columns' pii classes and scrubs every string
on its way out (egress).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from catalogs import grants, sqlfiles
from citylake.core.paths import Home

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Provided:
    resource_code: str
    model: str
    name_zh: str
    provider: str
    pii: dict[str, str | None] = field(default_factory=dict)   # column -> pii class of the catalog's item


def window(night: str, days: int = WINDOW_DAYS) -> tuple[str, str]:
    """[since, until) as ISO dates: the `days` days ending with `night`."""
    end = date.fromisoformat(night) + timedelta(days=1)
    return (end - timedelta(days=days)).isoformat(), end.isoformat()


def catalog_entries(h: Home) -> dict[str, Provided]:
    """The lake's published catalog entries by resource code ({} before the first catalog)."""
    from citylake.core.db import connect

    conn = connect(h=h, read_only=True)
    try:
        if not conn.execute(sqlfiles.load("table_exists.sql"), {"schema": "catalog", "table": "entries"}).fetchone()[0]:
            return {}
        pii: dict[str, dict[str, str | None]] = {}
        for code, column, cls in conn.execute(sqlfiles.load("feedback_items.sql")).fetchall():
            pii.setdefault(code, {})[column] = cls
        return {r[0]: Provided(*r, pii=pii.get(r[0], {}))
                for r in conn.execute(sqlfiles.load("feedback_entries.sql")).fetchall()}
    finally:
        conn.close()


VERIFY_PREFIX = "verify:"


def verification_dataset(model: str) -> str:
    """The exchange log's dataset of a verification call that looked up `model` (e.g. verify:base.population)."""
    return f"{VERIFY_PREFIX}{model}"


def _has(engine: sa.Engine, *tables: str) -> bool:
    inspector = sa.inspect(engine)
    return all(inspector.has_table(t) for t in tables)


def usage(engine: sa.Engine, entries: dict[str, Provided], provider: str, since: str, until: str) -> list[dict]:
    """Per consumer department, app, dataset and use (`read`: catalog, records, exports, objections; `verify`:
    核验 against it): calls, refused calls, rows served, purposes, first/last call."""
    mine = {c: e for c, e in entries.items() if e.provider == provider}
    datasets = {**{c: (e, "read") for c, e in mine.items()},
                **{verification_dataset(e.model): (e, "verify") for e in mine.values()}}
    if not mine or not _has(engine, "exchange_log", "apps"):
        return []
    q = sa.text(sqlfiles.load("feedback_usage.sql")).bindparams(sa.bindparam("codes", expanding=True))
    with engine.connect() as conn:
        rows = conn.execute(q, {"codes": list(datasets), "since": since, "until": until}).mappings().all()
    out: dict[tuple, dict] = {}
    for r in rows:
        key = (r["department"], r["client_id"], r["dataset"])
        e, use = datasets[r["dataset"]]
        u = out.setdefault(key, {"department": r["department"], "client_id": r["client_id"],
                                 "app_name": r["app_name"], "resource_code": e.resource_code, "use": use,
                                 "dataset_zh": e.name_zh, "model": e.model,
                                 "calls": 0, "refused": 0, "rows": 0, "purposes": {},
                                 "first_call": r["first_call"], "last_call": r["last_call"]})
        u["calls"] += r["calls"]
        u["refused"] += r["refused"]
        u["rows"] += r["rows_served"]
        u["purposes"][r["purpose"] or ""] = u["purposes"].get(r["purpose"] or "", 0) + r["calls"]
        u["first_call"], u["last_call"] = min(u["first_call"], r["first_call"]), max(u["last_call"], r["last_call"])
    return sorted(out.values(), key=lambda u: (-u["calls"], u["department"], u["client_id"] or ""))


def objections(engine: sa.Engine, entries: dict[str, Provided], provider: str, since: str, until: str) -> list[dict]:
    """The provider's open objections and those resolved in the window, with the dataset's model and name."""
    if not _has(engine, "objections"):
        return []
    with engine.connect() as conn:
        rows = conn.execute(sa.text(sqlfiles.load("feedback_objections.sql")),
                            {"provider": provider, "since": since, "until": until}).mappings().all()
    out = []
    for r in rows:
        e = entries.get(r["resource_code"])
        out.append({**r, "record_key": dict(json.loads(r["record_key"])), "model": e.model if e else None,
                    "dataset_zh": e.name_zh if e else "", "pii": e.pii if e else {}})
    return out


class Reader:
    """The feedback of every provider for one night: the catalog read once, the metadata DB kept open."""

    def __init__(self, h: Home, night: str, days: int = WINDOW_DAYS):
        self.entries = catalog_entries(h)
        self.since, self.until = window(night, days)
        self.engine = grants.open_engine(grants.db_url(h))

    def __call__(self, provider: str) -> dict:
        return {"since": self.since, "until": self.until,
                "usage": usage(self.engine, self.entries, provider, self.since, self.until),
                "objections": objections(self.engine, self.entries, provider, self.since, self.until)}

    def close(self) -> None:
        self.engine.dispose()
