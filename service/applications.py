"""Sharing applications (共享申请) for 有条件共享 data: apply → the platform's conformity review (合规性审核,
service.review: passed on or returned) → the provider approves or refuses with a
reason → an approved application is a grant (columns, row filter, valid-until, and the personal columns
it gives in clear, `unmasked`) until it expires.

The provider may approve part of an application (部分同意): a subset of the requested columns and/or
not the in-clear right of its personal columns, with a reason for what it cut. The stored `columns` /
`unmasked` then hold what was approved — the grant files and API read — and `requested_columns` /
`requested_unmasked` what was asked.

The platform has `review_working_days` working days from filing for its review, the provider
`reply_working_days` from the review to answer (mainland China's working days: public holidays and make-up
working days 调休 by the State Council's notices, service.workdays); the clocks are shown by
`citylake service applications` and GET /v1/applications.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from pydantic import BaseModel, Field

from catalogs import rowfilter
from catalogs.grants import applications, refusal, touch, unmasked
from service import grants, records
from service.apps import App
from service.egress import masked
from service.lake import Entry
from service.problems import Problem
from service.settings import REVIEW_DAYS
from service.workdays import NoCalendar, working_days_after, working_days_between

MAX_VALIDITY_DAYS = 366


class ApplicationIn(BaseModel):
    resource_code: str = Field(max_length=32, description="as in the catalog, e.g. 101001001/000001")
    columns: list[str] = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=4, max_length=500, description="用途 / application scenario")
    legal_basis: str = Field(min_length=2, max_length=500, description="依据: the law or duty it serves")
    valid_until: date
    row_filter: dict[str, str] = Field(default_factory=dict, max_length=10,
                                       description='rows limited to e.g. {"county_code": "eq.510603"}')
    unmasked: list[str] = Field(default_factory=list, max_length=50,
                                description="personal columns asked in clear (明文), each among `columns`; without "
                                            "it they leave masked. The legal basis must cover it.")


@dataclass(frozen=True)
class Grant:
    application_id: str
    columns: tuple[str, ...]
    row_filter: tuple[records.Filter, ...]
    valid_until: date
    valid_from: date | None = None
    unmasked: tuple[str, ...] = ()       # personal columns granted in clear

    def refusal(self, today: date) -> str | None:
        """The one dates rule of files and API (catalogs.grants.refusal)."""
        return refusal(self.application_id, "approved", self.valid_from, self.valid_until, today)


def check(entry: Entry, body: ApplicationIn, today: date) -> None:
    """Refuse what cannot be applied for: 不予共享 entries or items, unknown columns, bad dates or filters."""
    if entry.share_type == "not_shared":
        raise Problem(403, f"{entry.path_code} is 不予共享 and cannot be applied for: {entry.share_condition}")
    items = {i.column_name: i for i in entry.items}
    unknown = [c for c in [*body.columns, *body.row_filter] if c not in items]
    if unknown:
        raise Problem(400, f"{entry.path_code} has no columns {unknown[:5]}")
    never = [c for c in body.columns if not grants.item_grantable(items[c])]
    if never:
        raise Problem(403, f"columns {never[:5]} of {entry.path_code} are 不予共享 and cannot be applied for")
    if not today < body.valid_until <= today + timedelta(days=MAX_VALIDITY_DAYS):
        raise Problem(400, f"valid_until must be after today and within {MAX_VALIDITY_DAYS} days")
    for column, raw in body.row_filter.items():
        records.parse_filter(column, raw)
    check_unmasked(entry, body)


def check_unmasked(entry: Entry, body: ApplicationIn) -> None:
    """Columns asked in clear must be asked for and personal (the others leave unmasked anyway)."""
    items = {i.column_name: i for i in entry.items}
    outside = [c for c in body.unmasked if c not in body.columns]
    if outside:
        raise Problem(400, f"unmasked columns {outside[:5]} must also be in `columns`")
    plain = [c for c in body.unmasked if not masked(items[c].pii)]
    if plain:
        raise Problem(400, f"columns {plain[:5]} of {entry.path_code} are not personal columns: only those can be "
                           "granted in clear (free text is always scrubbed)")


def apply(engine: sa.Engine, app: App | None, entry: Entry, body: ApplicationIn, today: date,
          department: str | None = None) -> dict:
    """File an application: by an app over the API, or (app None) for `department` by the CLI — the
    application then grants the department's share packages only (no app may read under it)."""
    check(entry, body, today)
    row = {"application_id": f"SQ{today:%Y%m%d}{secrets.token_hex(3)}", "client_id": app and app.client_id,
           "department": app.department if app else department, "resource_code": entry.resource_code, "provider": entry.provider_id,
           "columns": json.dumps(list(dict.fromkeys(body.columns))), "purpose": body.purpose,
           "legal_basis": body.legal_basis, "valid_until": body.valid_until.isoformat(),
           "row_filter": json.dumps(sorted(body.row_filter.items()), ensure_ascii=False),
           "unmasked": json.dumps(list(dict.fromkeys(body.unmasked))) if body.unmasked else None,
           "status": "pending_review", "applied_on": today.isoformat()}
    row.update(requested_columns=row["columns"], requested_unmasked=row["unmasked"])
    with engine.begin() as conn:
        conn.execute(applications.insert().values(**row))
    return row


@dataclass(frozen=True)
class Part:
    """What a provider approves of an application: `columns` (None: all it asked), and whether it also gives
    the asked personal columns in clear (`clear`; False: they leave masked)."""
    columns: tuple[str, ...] | None = None
    clear: bool = True


def approved_part(row, part: Part, reason: str) -> dict:  # noqa: ANN001 - an applications row
    """The approved columns and in-clear columns of `row` under `part`; ValueError for a part that is not one of
    the request, or a cut without its reason."""
    asked, asked_clear = json.loads(row.columns), unmasked(row.unmasked)
    chosen = list(dict.fromkeys(part.columns)) if part.columns is not None else asked
    if not chosen:
        raise ValueError("approve at least one column (--columns), or refuse the application")
    outside = [c for c in chosen if c not in asked]
    if outside:
        raise ValueError(f"columns {outside[:5]} were not requested by {row.application_id}: it asked for "
                         f"{','.join(asked)}")
    cols = [c for c in asked if c in chosen]          # in the order asked: naming them all in another cuts nothing
    if not part.clear and not asked_clear:
        raise ValueError(f"{row.application_id} asked no column in clear: there is no in-clear right to refuse")
    clear = [c for c in asked_clear if c in cols] if part.clear else []
    if (cols != asked or clear != asked_clear) and len(reason.strip()) < 2:
        cut = [c for c in asked if c not in cols] + [f"{c} in clear" for c in asked_clear if c not in clear]
        raise ValueError(f"approving part of {row.application_id} (cut: {', '.join(cut)}) must say why (--reason)")
    asked_json, asked_clear_json = _asked(row._mapping)
    return {"columns": json.dumps(cols), "unmasked": json.dumps(clear) if clear else None,
            "requested_columns": asked_json, "requested_unmasked": asked_clear_json}


def _asked(m) -> tuple[str, str | None]:  # noqa: ANN001 - an applications row's mapping
    """What an application asked (its stored JSON): `requested_*`, or for a row filed before version 4 (NULL
    there) its `columns` / `unmasked`, which held the request until it was approved."""
    return (m["requested_columns"], m["requested_unmasked"]) if m["requested_columns"] else (m["columns"], m["unmasked"])


def decide(engine: sa.Engine, application_id: str, department: str, approve: bool, reason: str, today: date,
           part: Part | None = None) -> dict:
    """The provider department's answer: all or `part` of the request; a refusal, or a cut, must give its reason."""
    if not approve and len(reason.strip()) < 2:
        raise ValueError("a refusal must say why (--reason)")
    part = part or Part()
    if not approve and part != Part():
        raise ValueError("only an approval approves part of an application (--columns, --no-clear)")
    with engine.begin() as conn:
        row = conn.execute(sa.select(applications).where(applications.c.application_id == application_id)).first()
        if row is None:
            raise ValueError(f"no application {application_id!r}")
        if row.status == "pending_review":
            raise ValueError(f"application {application_id} is still under the platform's conformity review "
                             "(合规性审核): its provider decides once it has passed")
        if row.status != "pending":
            raise ValueError(f"application {application_id} is already {row.status}")
        if row.provider != department:
            raise ValueError(f"only the provider department {row.provider!r} decides {application_id}")
        granted = approved_part(row, part, reason) if approve else {}
        conn.execute(applications.update().where(applications.c.application_id == application_id).values(
            status="approved" if approve else "refused", reason=reason.strip() or None, decided_on=today.isoformat(),
            valid_from=today.isoformat() if approve else None, approver=department, **granted))
        touch(conn)
    return {**row._mapping, **granted, "status": "approved" if approve else "refused"}


def grants_of(conn: sa.Connection, client_id: str) -> dict[str, Grant]:
    """The app's newest approved application per resource (expired or not: grants.access decides)."""
    rows = conn.execute(sa.select(applications).where(
        applications.c.client_id == client_id, applications.c.status == "approved")
        .order_by(applications.c.valid_until, applications.c.application_id)).all()
    return {r.resource_code: Grant(r.application_id, tuple(json.loads(r.columns)), rowfilter.from_pairs(json.loads(r.row_filter)),
                                   date.fromisoformat(r.valid_until),
                                   date.fromisoformat(r.valid_from) if r.valid_from else None,
                                   tuple(unmasked(r.unmasked))) for r in rows}


def listing(engine: sa.Engine, today: date, reply_days: int, client_id: str | None = None,
            review_days: int = REVIEW_DAYS) -> list[dict]:
    """Applications with the platform's review clock and the provider's reply clock (working days used, due
    date, overdue)."""
    q = sa.select(applications).order_by(applications.c.applied_on, applications.c.application_id)
    if client_id:
        q = q.where(applications.c.client_id == client_id)
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q):
            m = dict(r._mapping)
            m.update(columns=json.loads(m["columns"]), row_filter=dict(json.loads(m["row_filter"])),
                     unmasked=unmasked(m["unmasked"]), **requested_and_approved(m),
                     **clocks(m, today, reply_days, review_days),
                     expired=m["status"] == "approved" and today > date.fromisoformat(m["valid_until"]))
            out.append(m)
    return out


def requested_and_approved(m: dict) -> dict:
    """What an application asked and (once approved) what the provider approved of it; `cut`: what it did not."""
    asked_json, asked_clear_json = _asked(m)
    asked, asked_clear = json.loads(asked_json), unmasked(asked_clear_json)
    if m["status"] != "approved":
        return {"requested_columns": asked, "requested_unmasked": asked_clear, "approved_columns": None,
                "approved_unmasked": None, "cut": None}
    cols, clear = json.loads(m["columns"]), unmasked(m["unmasked"])
    cut = {"columns": [c for c in asked if c not in cols], "unmasked": [c for c in asked_clear if c not in clear]}
    return {"requested_columns": asked, "requested_unmasked": asked_clear, "approved_columns": cols,
            "approved_unmasked": clear, "cut": cut if cut["columns"] or cut["unmasked"] else None}


def clocks(m: dict, today: date, reply_days: int, review_days: int) -> dict:
    """Both clocks of one application; `clock_note` says why one could not be counted (no holiday calendar)."""
    review = review_clock(m, today, review_days)
    note = review.pop("clock_note", None)
    reply = reply_clock(m, today, reply_days)
    return {**review, **reply, "clock_note": reply["clock_note"] or note}


def reply_clock(m: dict, today: date, reply_days: int) -> dict:
    """The provider's clock of one application, from the day the platform's review passed it (from filing for
    rows with the provider before the review existed): due date, working days used, overdue — or, for a year
    the holiday calendar does not cover, no clock and the reason (`clock_note`), never a Monday-Friday guess.
    No clock while the application is under review or once returned: it never reached the provider."""
    if m["status"] in ("pending_review", "returned"):
        return {"reply_due": None, "working_days": None, "overdue": None, "clock_note": None}
    received = date.fromisoformat(m.get("reviewed_on") or m["applied_on"])
    answered = date.fromisoformat(m["decided_on"]) if m["decided_on"] else today
    try:
        due = working_days_after(received, reply_days)
        used = working_days_between(received, answered)
    except NoCalendar as e:
        return {"reply_due": None, "working_days": None, "overdue": None, "clock_note": str(e)}
    return {"reply_due": due.isoformat(), "working_days": used, "overdue": m["status"] == "pending" and today > due,
            "clock_note": None}


def review_clock(m: dict, today: date, review_days: int) -> dict:
    """The platform's conformity review clock (合规性审核), from filing: due date, working days used, overdue;
    all None for rows with the provider before the review existed (they count as reviewed)."""
    none = {"review_due": None, "review_working_days": None, "review_overdue": None}
    if m["status"] != "pending_review" and not m.get("reviewed_on"):
        return none
    applied = date.fromisoformat(m["applied_on"])
    try:
        due = working_days_after(applied, review_days)
        used = working_days_between(applied, date.fromisoformat(m.get("reviewed_on") or today.isoformat()))
    except NoCalendar as e:
        return {**none, "clock_note": str(e)}
    return {"review_due": due.isoformat(), "review_working_days": used,
            "review_overdue": m["status"] == "pending_review" and today > due}
