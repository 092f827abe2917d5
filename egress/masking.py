"""Masking (脱敏) of personal values by pii class, with the catalog policy's own rules.

Which rule applies to a pii class is read from ``catalogs/policy.yml`` (``masking:``, the one
source); the rules themselves are the SQL macros of ``catalogs/sql/masking.sql`` that publishing
runs over whole tables. Python values (report samples, quarantined rows) are masked by running
those same macros in an in-memory DuckDB, so a report and a package can never mask differently:
ID numbers ``510603********1234``, names ``张*``, phones ``138****5678``, addresses up to the
road ``旌阳区泰山北路***``, birth dates as the year.

A pii class the policy gives no rule (e.g. ``health``) is withheld: publishing drops such items,
a report shows ``***`` in their place. ``none`` (or no class) leaves the value unchanged.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

from citylake.core.paths import REPO_ROOT
from citylake.core.yamlio import load_yaml
from egress import sqlfiles

POLICY_FILE = REPO_ROOT / "catalogs" / "policy.yml"
MASKING_SQL = REPO_ROOT / "catalogs" / "sql" / "masking.sql"
WITHHELD = "***"
_MACRO = re.compile(r"^cat_mask_[a-z_]+$")
SCRUB = "cat_scrub_text"          # free-text items (policy `scrub_elements`): ID numbers and mobiles inside
_lock = threading.Lock()


@cache
def rules(policy: Path = POLICY_FILE) -> dict[str, str]:
    """{pii class: SQL macro} from the catalog policy's ``masking:`` section."""
    rules = load_yaml(policy).get("masking") or {}
    bad = [m for m in rules.values() if not _MACRO.match(str(m))]
    if bad:
        raise ValueError(f"{policy}: masking rules must name cat_mask_* macros, got {bad}")
    return dict(rules)


@cache
def _conn():  # noqa: ANN202
    import duckdb

    conn = duckdb.connect()
    conn.execute(MASKING_SQL.read_text(encoding="utf-8"))
    return conn


def rule_of(item: Any, in_clear: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The masking macro a catalog item leaves through (packages, exports, records alike): its `mask`, a pii
    class's rule or the free-text scrub; None: unchanged — also for a column a grant gives in clear
    (`in_clear`, an approved application's `unmasked`). `drop` items never leave (None here too)."""
    return None if item.mask in (None, "drop") or item.column_name in in_clear else item.mask


def mask_values(values: list[Any], pii: str | None) -> list[Any]:
    """Mask a list of values of one pii class (None stays None), in one query."""
    if not pii or pii == "none":
        return list(values)
    macro = rules().get(pii)
    if macro is None:
        return [None if v is None else WITHHELD for v in values]
    return apply_rule(values, macro)


def apply_rule(values: list[Any], macro: str) -> list[Any]:
    """The values through one masking macro of masking.sql (a cat_mask_* rule or the free-text scrub), in one
    query: what a catalog item's `mask` does to them in a package."""
    if not (_MACRO.match(macro) or macro == SCRUB):
        raise ValueError(f"{macro!r} is not a masking rule of {MASKING_SQL.name}")
    texts = [None if v is None else str(v) for v in values]
    with _lock:
        [out] = _conn().execute(sqlfiles.render("mask_values.sql.j2", macro=macro), [texts]).fetchone()
    # a rule that finds nothing to keep (an unparseable birth date) must not show the value
    return [None if t is None else (m if m is not None else WITHHELD) for t, m in zip(texts, out, strict=True)]


def mask_value(value: Any, pii: str | None) -> Any:
    """Mask one value of pii class ``pii`` (``none``/None: returned unchanged)."""
    return mask_values([value], pii)[0]
