"""Which compiled dbt models transpile from DuckDB to Spark and Trino (sqlglot), and why not.

`python dbt_project/scripts/portability.py [compiled_dir]` prints one line per non-portable
(model, target) with the reasons. A model is not portable to a target when sqlglot cannot
transpile it (parse or unsupported-feature errors) or when it calls functions sqlglot does
not know for DuckDB (passed through verbatim, so they would fail on the target): the
citylake standards macros `cl_*` (they need UDFs on the target) and, on Spark, the spatial
`ST_*` functions. tests/dbt/test_portability.py compares the result with the allow-list
documented in docs/libraries.md, so a new non-portable model fails the test.

`silent_constructs(sql)` lists what sqlglot DOES transpile, but to SQL that means something else on
Spark (and Trino) — the constructs a port must write per engine (adapter.dispatch, macros/*spark*):
`regexp_replace` without 'g' (DuckDB: first match; Spark: every match) or with `\\1` back-references
(Spark writes `$1`); `date_diff('minute'|'hour'|'year', …)` (DuckDB counts boundaries crossed,
Spark's transpiled form whole units); `dayofweek` (0 = Sunday vs 1 = Sunday); `list(x ORDER BY x)`;
a negative list index `[-1]`; a division by a literal zero; `date - date` (days vs an interval).
One more means something else when the SAME text runs on Spark (sqlglot itself adds the clause): an
ascending ORDER BY key without NULLS FIRST/LAST (DuckDB sorts NULLs last, Spark first).
`python dbt_project/scripts/portability.py [compiled_dir] --silent` prints them per model.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

TARGETS = ("spark", "trino")
# Functions each target provides natively although sqlglot passes them through as anonymous calls.
NATIVE = {
    "trino": {"st_contains", "st_point", "st_centroid", "st_x", "st_y"},
    "spark": set(),
}


def _reason(name: str) -> str:
    if name.startswith("cl_"):
        return "standards macros cl_* (need UDFs)"
    if name.startswith("st_"):
        return "spatial ST_* functions"
    return f"function {name}"


def check_sql(sql: str, target: str) -> list[str]:
    """Reasons why `sql` (DuckDB) does not run on `target`; empty when it transpiles cleanly."""
    reasons: set[str] = set()
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except ParseError as e:
        return [f"parse error: {str(e).splitlines()[0]}"]
    for tree in trees:
        if tree is None:
            continue
        for fn in tree.find_all(exp.Anonymous):
            name = str(fn.name).lower()
            if name not in NATIVE[target]:
                reasons.add(_reason(name))
        try:
            tree.sql(dialect=target, unsupported_level=ErrorLevel.RAISE)
        except UnsupportedError as e:
            reasons.add(f"unsupported: {str(e).splitlines()[0]}")
    return sorted(reasons)


BOUNDARY_UNITS = {"MINUTE", "HOUR", "YEAR"}


def _is_date(node: exp.Expression) -> bool:
    if isinstance(node, (exp.CurrentDate, exp.Date, exp.DateFromParts, exp.StrToDate, exp.TsOrDsToDate)):
        return True
    return isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)


def _silent_in(node: exp.Expression) -> str | None:
    if isinstance(node, exp.RegexpReplace):
        modifiers = node.args.get("modifiers")
        replacement = node.args.get("replacement")
        if replacement is not None and re.search(r"\\[0-9]", replacement.name or ""):
            return "regexp_replace back-reference \\1 (Spark: $1)"
        if modifiers is None or "g" not in (modifiers.name or ""):
            return "regexp_replace without 'g' (DuckDB: first match; Spark: every match)"
    if isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is not None and unit.name.upper() in BOUNDARY_UNITS:
            return f"date_diff('{unit.name.lower()}') (DuckDB: boundaries crossed; Spark: whole units)"
    if isinstance(node, exp.DayOfWeek):
        return "dayofweek (DuckDB: 0 = Sunday; Spark: 1 = Sunday)"
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return "list(x ORDER BY x) (Spark: collect_list has no order)"
    if isinstance(node, exp.Bracket) and any(isinstance(e, exp.Neg) for e in node.expressions):
        return "negative list index [-1] (Spark: no negative index)"
    if isinstance(node, exp.Div) and isinstance(node.expression, exp.Literal) and node.expression.name in ("0", "0.0"):
        return "division by zero (DuckDB and Spark differ on errors vs NULL)"
    if isinstance(node, exp.Sub) and _is_date(node.this) and _is_date(node.expression):
        return "date - date (DuckDB: days as an integer; Spark: an interval)"
    return None


class _SparkNullOrder(DuckDB):
    """DuckDB's grammar with Spark's NULL order: an ORDER BY key parses differently only where it names none."""

    NULL_ORDERING = "nulls_are_small"


IMPLICIT_NULL_ORDER = "ascending ORDER BY without NULLS LAST (DuckDB: NULLs last; Spark: NULLs first)"


def _implicit_null_order(sql: str) -> bool:
    """Whether an ascending ORDER BY key of `sql` leaves its NULL order to the engine (list(x ORDER BY x)
    aside: flagged as a whole)."""
    pairs = zip(sqlglot.parse(sql, read="duckdb"), sqlglot.parse(sql, read=_SparkNullOrder), strict=True)
    return any(ours.args.get("nulls_first") != theirs.args.get("nulls_first") and not ours.find_ancestor(exp.ArrayAgg)
               for tree, spark_tree in pairs if tree is not None
               for ours, theirs in zip(tree.find_all(exp.Ordered), spark_tree.find_all(exp.Ordered), strict=True))


def silent_constructs(sql: str) -> list[str]:
    """Constructs of `sql` (DuckDB) that transpile to Spark with another meaning; empty when none."""
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except ParseError:
        return []
    found = {reason for tree in trees if tree is not None for node in tree.walk()
             if (reason := _silent_in(node)) is not None}
    if _implicit_null_order(sql):
        found.add(IMPLICIT_NULL_ORDER)
    return sorted(found)


def check_silent(compiled_dir: Path) -> dict[str, list[str]]:
    """{model: silent-meaning constructs} for every compiled model that has some."""
    out = {}
    for path in sorted(compiled_dir.rglob("*.sql")):
        if any(part.endswith(".yml") for part in path.parts):
            continue
        found = silent_constructs(path.read_text(encoding="utf-8"))
        if found:
            out[path.stem] = found
    return out


def check(compiled_dir: Path) -> dict[tuple[str, str], list[str]]:
    """{(model, target): reasons} for every compiled model that does not transpile to a target."""
    out: dict[tuple[str, str], list[str]] = {}
    for path in sorted(compiled_dir.rglob("*.sql")):
        if any(part.endswith(".yml") for part in path.parts):  # compiled unit-test fixtures
            continue
        sql = path.read_text(encoding="utf-8")
        for target in TARGETS:
            reasons = check_sql(sql, target)
            if reasons:
                out[(path.stem, target)] = reasons
    return out


def compiled_models_dir(target_path: Path) -> Path:
    return target_path / "compiled" / "citylake" / "models"


def main(argv: list[str]) -> int:
    silent = "--silent" in argv
    argv = [a for a in argv if a != "--silent"]
    base = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "target"
    if silent:
        for model, reasons in check_silent(compiled_models_dir(base)).items():
            print(f"{model}\tsilent\t{'; '.join(reasons)}")
        return 0
    for (model, target), reasons in check(compiled_models_dir(base)).items():
        print(f"{model}\t{target}\t{'; '.join(reasons)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
