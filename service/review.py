"""The platform's conformity review (合规性审核) of a sharing application, before its provider sees it.

An application filed over the API or by `citylake service applications apply` starts `pending_review`:
the platform operator checks that it states its purpose and legal basis and that it conforms to the
catalog's sharing type (not 不予共享, its columns in the entry and applicable, an application needed at
all, its in-clear columns personal), within `review_working_days` working days (CITYLAKE_SERVICE_REVIEW_DAYS,
2 by default). Passed, it is `pending` with the provider, whose reply clock starts on the day of the
review; returned (with a reason the applicant sees), it is `returned` and the applicant files again.
Rows that were `pending` before the review existed (and the seed's) count as already reviewed.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from catalogs.grants import applications, unmasked
from service import grants
from service.egress import masked
from service.lake import Entry

MIN_PURPOSE, MIN_BASIS = 4, 2       # as ApplicationIn asks of a new application


def conformity(entry: Entry | None, row) -> list[str]:  # noqa: ANN001 - an applications row
    """What keeps `row` from conforming to the catalog's `entry` (None: not in the catalog any more); [] when it does."""
    out = []
    if len((row.purpose or "").strip()) < MIN_PURPOSE:
        out.append("no purpose (用途) stated")
    if len((row.legal_basis or "").strip()) < MIN_BASIS:
        out.append("no legal basis (依据) stated")
    if entry is None:
        return [*out, f"{row.resource_code} is not in the published catalog"]
    if entry.share_type == "not_shared":
        return [*out, f"{row.resource_code} is 不予共享: {entry.share_condition or 'by the catalog policy'}"]
    items = {i.column_name: i for i in entry.items}
    cols, clear = json.loads(row.columns), unmasked(row.unmasked)
    unknown = [c for c in cols if c not in items]
    never = [c for c in cols if c in items and not grants.item_grantable(items[c])]
    if unknown:
        out.append(f"{row.resource_code} has no columns {unknown[:5]}")
    if never:
        out.append(f"columns {never[:5]} are 不予共享")
    known = [items[c] for c in cols if c in items]
    if entry.share_type == "unconditional" and known and all(grants.item_readable(i) for i in known):
        out.append("every column asked is 无条件共享: no application is needed")
    plain = [c for c in clear if c in items and not masked(items[c].pii)]
    if plain:
        out.append(f"columns {plain[:5]} asked in clear are not personal columns")
    return out


def review(engine: sa.Engine, entry: Entry | None, application_id: str, passed: bool, reason: str,
           today: date) -> dict:
    """Pass an application under review on to its provider, or return it to the applicant with `reason`.
    ValueError: no such application, not under review, a return without its reason, or a pass of an
    application that does not conform (the problems named: return it instead)."""
    if not passed and len(reason.strip()) < 2:
        raise ValueError("returning an application must say why (--reason)")
    with engine.begin() as conn:
        row = conn.execute(sa.select(applications).where(applications.c.application_id == application_id)).first()
        if row is None:
            raise ValueError(f"no application {application_id!r}")
        if row.status != "pending_review":
            raise ValueError(f"application {application_id} is not under conformity review: it is {row.status}")
        problems = conformity(entry, row) if passed else []
        if problems:
            raise ValueError(f"application {application_id} does not conform: {'; '.join(problems)} — return it "
                             "(--return --reason)")
        status = "pending" if passed else "returned"
        conn.execute(applications.update().where(applications.c.application_id == application_id).values(
            status=status, reviewed_on=today.isoformat(), review_note=reason.strip() or None))
    return {**row._mapping, "status": status, "reviewed_on": today.isoformat()}
