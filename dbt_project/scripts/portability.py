"""Which compiled dbt models transpile from DuckDB to Spark and Trino (sqlglot), and why not.

`python dbt_project/scripts/portability.py [compiled_dir]` prints one line per non-portable
(model, target) with the reasons. A model is not portable to a target when sqlglot cannot
transpile it (parse or unsupported-feature errors) or when it calls functions sqlglot does
not know for DuckDB (passed through verbatim, so they would fail on the target): the
citylake standards macros `cl_*` (they need UDFs on the target) and, on Spark, the spatial
`ST_*` functions. tests/dbt/test_portability.py compares the result with the allow-list
documented in docs/libraries.md, so a new non-portable model fails the test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlglot
from sqlglot import exp
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
    base = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "target"
    for (model, target), reasons in check(compiled_models_dir(base)).items():
        print(f"{model}\t{target}\t{'; '.join(reasons)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
