"""What leaves through the service: the project's one masking implementation, by pii class, and its exit.

This is the only import of the masking functions and of the leak check in service/: the same
rules, by the catalog policy, as reports, exports and share packages (egress.masking: records mask
values with `mask_value`; bulk exports run the same SQL macros over whole tables, `mask_macro`), and
the same exit (egress.release: an export file is leak-checked before it can be downloaded)."""

from __future__ import annotations

from egress.masking import MASKING_SQL, mask_value, rules
from egress.release import release

__all__ = ["install_macros", "mask_macro", "mask_value", "masked", "release"]


def masked(pii: str | None) -> bool:
    """A column of this pii class leaves the platform masked."""
    return bool(pii) and pii != "none"


def mask_macro(pii: str | None) -> str | None:
    """The SQL macro that masks a column of this pii class (None: unmasked, or withheld when `masked`)."""
    return rules().get(pii) if masked(pii) else None


def install_macros(cur) -> None:  # noqa: ANN001 - a DuckDB cursor
    """The masking macros and the CSV formula-injection guard (catalogs/sql/masking.sql) on this cursor."""
    cur.execute(MASKING_SQL.read_text(encoding="utf-8"))
