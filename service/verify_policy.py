"""The verification policy (核验策略): who may call POST /v1/verify, for which element.

Every registered department app may verify by default (a verification returns no record). The operator
can withdraw it for one app, for one element (the key a kind looks up in service/verify.yml: `id_number`
for person, `uscc` for entity), or for one app and one element, always with a reason; and restore it.
A withdrawal is a row of the metadata database, kept after its restore (`restored_at`) for the record.
Both move the access change counter, so the next call is refused (or served again).

    citylake service verification withdraw --app app_1a2b… [--element id_number] --reason "…"
    citylake service verification restore 3
    citylake service verification [--all] [--json]
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from service.apps import now
from service.metadb import apps, touch, verify_withdrawals


@dataclass(frozen=True)
class Withdrawal:
    withdrawal_id: int
    client_id: str | None      # None: every app
    element: str | None        # None: every element
    reason: str


def withdraw(engine: sa.Engine, reason: str, elements: set[str], client_id: str | None = None,
             element: str | None = None) -> int:
    """Withdraw verification for an app, an element or both; the withdrawal's id."""
    if client_id is None and element is None:
        raise ValueError("name the app (--app) or the element (--element) whose verification is withdrawn, or both")
    if element is not None and element not in elements:
        raise ValueError(f"unknown element {element!r}: verification looks up {', '.join(sorted(elements))}")
    if len(reason.strip()) < 2:
        raise ValueError("a withdrawal must give its reason (--reason)")
    with engine.begin() as conn:
        if client_id is not None and conn.execute(sa.select(apps.c.client_id).where(
                apps.c.client_id == client_id)).first() is None:
            raise ValueError(f"no app {client_id!r}")
        wid = conn.execute(verify_withdrawals.insert().values(
            client_id=client_id, element=element, reason=reason.strip(), withdrawn_at=now())).inserted_primary_key[0]
        touch(conn)
    return int(wid)


def restore(engine: sa.Engine, withdrawal_id: int) -> None:
    """End a withdrawal: verification is allowed again where no other withdrawal applies."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(verify_withdrawals.c.restored_at).where(
            verify_withdrawals.c.withdrawal_id == withdrawal_id)).first()
        if row is None:
            raise ValueError(f"no withdrawal {withdrawal_id}")
        if row.restored_at is not None:
            raise ValueError(f"withdrawal {withdrawal_id} was already restored at {row.restored_at}")
        conn.execute(verify_withdrawals.update().where(verify_withdrawals.c.withdrawal_id == withdrawal_id)
                     .values(restored_at=now()))
        touch(conn)


def in_force(conn: sa.Connection) -> tuple[Withdrawal, ...]:
    w = verify_withdrawals.c
    rows = conn.execute(sa.select(w.withdrawal_id, w.client_id, w.element, w.reason)
                        .where(w.restored_at.is_(None)).order_by(w.withdrawal_id)).all()
    return tuple(Withdrawal(*r) for r in rows)


def refusal(withdrawals: tuple[Withdrawal, ...], client_id: str, element: str) -> str | None:
    """Why `client_id` may not verify `element` (the first withdrawal that covers both), else None."""
    for w in withdrawals:
        if w.client_id in (None, client_id) and w.element in (None, element):
            scope = "for this app" if w.client_id else "for every app"
            return f"verification of {element} is withdrawn {scope} (withdrawal {w.withdrawal_id}): {w.reason}"
    return None


def listing(engine: sa.Engine, include_restored: bool = False) -> list[dict]:
    q = sa.select(verify_withdrawals).order_by(verify_withdrawals.c.withdrawal_id)
    if not include_restored:
        q = q.where(verify_withdrawals.c.restored_at.is_(None))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
