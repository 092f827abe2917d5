"""POST /v1/datasets/{code}/objections (数据纠错, 校核纠错): a consumer reports a wrong value.

An objection names one record by its key (unmasked readable columns, e.g. {"uscc": "9151…"}), the
field it disputes, the claimed value and the evidence. The record must exist under the caller's
grant. It is stored in the metadata database for the provider department (`citylake service
objections`), and until the provider resolves it (`citylake service objections resolve ID --note …`)
the record carries `_flags: [{"flag": "存疑", …}]` in every records response.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from pydantic import BaseModel, Field

from service.apps import now
from service.metadb import objections, touch

FLAG = "存疑"


class ObjectionIn(BaseModel):
    record_key: dict[str, str] = Field(min_length=1, max_length=5, description='e.g. {"uscc": "91510600…"}')
    field: str = Field(min_length=1, max_length=64, description="the disputed column")
    claimed_value: str = Field(max_length=500, description="what the value should be")
    evidence: str = Field(min_length=4, max_length=2000, description="依据: document, register, case number")


@dataclass(frozen=True)
class Mark:
    """An open objection as records see it: which record (key values) and which field."""
    objection_id: str
    key: tuple[tuple[str, str], ...]
    field: str


def file(engine: sa.Engine, client_id: str, department: str, resource_code: str, provider: str, body: ObjectionIn,
         snapshot: int) -> dict:
    row = {"objection_id": f"JC{date.today():%Y%m%d}{secrets.token_hex(3)}", "client_id": client_id,
           "department": department, "resource_code": resource_code, "provider": provider,
           "record_key": json.dumps(sorted(body.record_key.items()), ensure_ascii=False), "field": body.field,
           "claimed_value": body.claimed_value, "evidence": body.evidence, "snapshot_id": snapshot,
           "status": "open", "created_at": now()}
    with engine.begin() as conn:
        conn.execute(objections.insert().values(**row))
        touch(conn)
    return {**row, "record_key": body.record_key}


def open_marks(conn: sa.Connection, resource_code: str) -> list[Mark]:
    rows = conn.execute(sa.select(objections.c.objection_id, objections.c.record_key, objections.c.field).where(
        objections.c.resource_code == resource_code, objections.c.status == "open")).all()
    return [Mark(r.objection_id, tuple(tuple(kv) for kv in json.loads(r.record_key)), r.field) for r in rows]


def flags(raw: dict, marks: list[Mark]) -> list[dict]:
    """The 存疑 flags of one record (its unmasked values by column) under the open objections."""
    return [{"flag": FLAG, "field": m.field, "objection_id": m.objection_id} for m in marks
            if all(k in raw and raw[k] is not None and str(raw[k]) == v for k, v in m.key)]


def listing(engine: sa.Engine, provider: str | None = None, status: str | None = None) -> list[dict]:
    q = sa.select(objections).order_by(objections.c.created_at)
    if provider:
        q = q.where(objections.c.provider == provider)
    if status:
        q = q.where(objections.c.status == status)
    with engine.connect() as conn:
        return [dict(r._mapping, record_key=dict(json.loads(r.record_key))) for r in conn.execute(q)]


def resolve(engine: sa.Engine, objection_id: str, note: str) -> None:
    """The provider's answer: the record is no longer flagged."""
    if len(note.strip()) < 2:
        raise ValueError("a resolution must say what was found or done (--note)")
    with engine.begin() as conn:
        row = conn.execute(sa.select(objections.c.status).where(objections.c.objection_id == objection_id)).first()
        if row is None:
            raise ValueError(f"no objection {objection_id!r}")
        if row.status != "open":
            raise ValueError(f"objection {objection_id} is already {row.status}")
        conn.execute(objections.update().where(objections.c.objection_id == objection_id).values(
            status="resolved", resolved_at=now(), note=note.strip()))
        touch(conn)
