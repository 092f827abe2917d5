"""What leaves through the service: the project's one masking implementation, by pii class, and its exit.

This is the only import of the masking functions and of the leak check in service/: the same
rules, by the catalog policy, as reports, exports and share packages (egress.masking: each item leaves
through its catalog `mask`, `rule_of` — a pii class's rule or the free-text scrub; records run the macro
over a page's column, `apply_rule`; bulk exports run the same SQL macros over whole tables), and
the same exit (egress.release: an export file is leak-checked before it can be downloaded)."""

from __future__ import annotations

from egress.masking import MASKING_SQL, apply_rule, mask_value, rule_of
from egress.release import release

__all__ = ["apply_rule", "install_macros", "mask_value", "masked", "release", "rule_of"]


def masked(pii: str | None) -> bool:
    """A column of this pii class leaves the platform masked."""
    return bool(pii) and pii != "none"


def install_macros(cur) -> None:  # noqa: ANN001 - a DuckDB cursor
    """The masking macros and the CSV formula-injection guard (catalogs/sql/masking.sql) on this cursor."""
    cur.execute(MASKING_SQL.read_text(encoding="utf-8"))
