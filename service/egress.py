"""What leaves through the service: the project's one masking implementation, by pii class, and its exit.

This is the only import of the masking functions and of the leak check in service/: the same
rules, by the catalog policy, as reports, exports and share packages (egress.masking: each item leaves
through its catalog `mask`, `rule_of` — a pii class's rule or the free-text scrub; records run the macro
over a page's column, `apply_rule`; bulk exports run the same SQL macros over whole tables), and
the same exit (egress.release: an export file is leak-checked before it can be downloaded; a records page
goes through the same leak check in memory, `check_page`, before it is sent)."""

from __future__ import annotations

from pathlib import Path

from egress.leakcheck import Names, Target, scan_values
from egress.masking import MASKING_SQL, apply_rule, mask_value, rule_of
from egress.release import release
from service.problems import Problem

__all__ = ["Names", "apply_rule", "check_page", "install_macros", "mask_value", "masked", "release", "rule_of"]


def masked(pii: str | None) -> bool:
    """A column of this pii class leaves the platform masked."""
    return bool(pii) and pii != "none"


def install_macros(cur) -> None:  # noqa: ANN001 - a DuckDB cursor
    """The masking macros and the CSV formula-injection guard (catalogs/sql/masking.sql) on this cursor."""
    cur.execute(MASKING_SQL.read_text(encoding="utf-8"))


def check_page(records: list[dict], carried: list[str], label: str, unmasked: frozenset[str],
               names: Names | None = None) -> None:
    """The leak check on a page about to be sent (every column it carries, `_flags` included; the columns the
    grant gives in clear are not scanned): ID and mobile numbers, and a cell equal to one of the population's
    `names`; a finding refuses the whole page with a 500, no row sent."""
    findings = scan_values(label, {c: [r.get(c) for r in records] for c in carried},
                           Target(Path(label), unmasked_columns=set(unmasked)), names)
    if findings:
        f = findings[0]
        raise Problem(500, f"the page failed the leak check ({f.check} in column {f.column!r}, {len(findings)} "
                           "finding(s)); nothing was sent: report this to the platform operator")
