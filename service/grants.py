"""Who may read what: grants come from the published catalog and approved applications, never a hand-kept list.

- 无条件共享 (unconditional) items are readable by every registered department app;
- 有条件共享 (conditional) items need the app's approved, unexpired application (service.applications)
  naming them; its row filter is always applied;
- 不予共享 (not shared) items are listed with their reason and never readable nor grantable.
Personal items that are readable leave masked (service.egress) unless the application grants them in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from service.egress import rule_of
from service.lake import Entry, Item
from service.problems import Problem

SHARE_ZH = {"unconditional": "无条件共享", "conditional": "有条件共享", "not_shared": "不予共享"}
APPLICATION_REQUIRED = "an approved sharing application is required (有条件共享): POST /v1/applications"


class GrantLike(Protocol):
    application_id: str
    columns: tuple[str, ...]
    row_filter: tuple
    valid_until: date
    unmasked: tuple[str, ...]

    def refusal(self, today: date) -> str | None: ...


@dataclass(frozen=True)
class Access:
    state: str                # readable | application_required | expired | not_shared
    reason: str
    columns: dict[str, Item]  # the readable columns, in catalog order
    row_filter: tuple = field(default=())
    application_id: str | None = None
    unmasked: frozenset[str] = frozenset()   # personal columns this grant gives in clear


def leaving_rule(a: Access, column: str) -> str | None:
    """The one rule: the masking macro a readable column leaves through — its catalog item's (a pii class's
    rule, or the free-text scrub), as in the share packages — unless the grant gives it in clear (an
    approved application's `unmasked`); None: unchanged."""
    return rule_of(a.columns[column], a.unmasked)


def item_readable(item: Item) -> bool:
    return item.share_type == "unconditional" and item.mask != "drop"


def item_grantable(item: Item) -> bool:
    """An item an application may name: anything but 不予共享 and dropped items."""
    return item.share_type != "not_shared" and item.mask != "drop"


def _granted(entry: Entry, grant: GrantLike) -> Access:
    cols = {i.column_name: i for i in entry.items
            if item_readable(i) or (i.column_name in grant.columns and item_grantable(i))}
    return Access("readable", f"有条件共享 under application {grant.application_id} until {grant.valid_until}",
                  cols, grant.row_filter, grant.application_id, frozenset(grant.unmasked) & set(cols))


def access(entry: Entry, grant: GrantLike | None = None, today: date | None = None) -> Access:
    """What this app may do with `entry`, given its newest approved application (if any)."""
    if entry.share_type == "not_shared":
        return Access("not_shared", f"不予共享 (not shared): {entry.share_condition or 'by the catalog policy'}", {})
    why = grant.refusal(today) if grant is not None and today is not None else None
    if why is not None:
        return Access("expired", f"application {why}: apply again", {})
    if grant is not None:
        return _granted(entry, grant)
    if entry.share_type == "conditional":
        return Access("application_required", APPLICATION_REQUIRED, {})
    return Access("readable", "无条件共享 (unconditional)", {i.column_name: i for i in entry.items if item_readable(i)})


def readable(entry: Entry, grant: GrantLike | None = None, today: date | None = None) -> Access:
    """The access to `entry`, or 403 naming why it cannot be read."""
    a = access(entry, grant, today)
    if a.state != "readable":
        raise Problem(403, f"{entry.path_code} ({entry.name_zh}): {a.reason}")
    return a


def item_reason(item: Item) -> str | None:
    """Why a listed item is not readable without an application (None when it is)."""
    if item_readable(item):
        return None
    if not item_grantable(item):
        return f"不予共享 (not shared): {item.share_condition or 'by the catalog policy'}"
    return APPLICATION_REQUIRED


def columns(a: Access, entry: Entry, wanted: list[str] | None) -> list[str]:
    """The columns to return: `wanted` (all readable when None); 400 unknown, 403 not granted."""
    if wanted is None:
        return list(a.columns)
    known = {i.column_name for i in entry.items}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise Problem(400, f"{entry.path_code} has no columns {unknown[:5]}: see GET /v1/catalog/{entry.path_code}")
    refused = [c for c in wanted if c not in a.columns]
    if refused:
        raise Problem(403, f"columns {refused[:5]} of {entry.path_code} are not granted to this app: {APPLICATION_REQUIRED}")
    return list(dict.fromkeys(wanted))
