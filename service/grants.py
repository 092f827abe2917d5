"""Who may read what: grants come from the published catalog, not from a hand-kept list.

- 无条件共享 (unconditional) items are readable by every registered department app;
- 有条件共享 (conditional) items need an approved application (not yet served by the API: refused);
- 不予共享 (not shared) items are listed with their reason and never readable.
Personal items that are readable leave masked (service.egress).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.lake import Entry, Item
from service.problems import Problem

SHARE_ZH = {"unconditional": "无条件共享", "conditional": "有条件共享", "not_shared": "不予共享"}
APPLICATION_REQUIRED = ("an approved sharing application is required (有条件共享); applications over the API "
                        "are not served yet — apply through the platform operator")


@dataclass(frozen=True)
class Access:
    state: str                # readable | application_required | not_shared
    reason: str
    columns: dict[str, Item]  # the readable columns, in catalog order


def item_readable(item: Item) -> bool:
    return item.share_type == "unconditional" and item.mask != "drop"


def access(entry: Entry) -> Access:
    """What any registered department app may do with `entry`."""
    if entry.share_type == "not_shared":
        return Access("not_shared", f"不予共享 (not shared): {entry.share_condition or 'by the catalog policy'}", {})
    if entry.share_type == "conditional":
        return Access("application_required", APPLICATION_REQUIRED, {})
    return Access("readable", "无条件共享 (unconditional)",
                  {i.column_name: i for i in entry.items if item_readable(i)})


def readable(entry: Entry) -> Access:
    """The access to `entry`, or 403 naming why it cannot be read."""
    a = access(entry)
    if a.state != "readable":
        raise Problem(403, f"{entry.path_code} ({entry.name_zh}): {a.reason}")
    return a


def item_reason(item: Item) -> str | None:
    """Why a listed item is not readable (None when it is)."""
    if item_readable(item):
        return None
    if item.share_type == "not_shared" or item.mask == "drop":
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
