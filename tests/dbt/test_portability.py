"""Every compiled model transpiles DuckDB -> Spark and -> Trino (sqlglot), except the documented ones.

The allow-list is the table between the portability markers in docs/libraries.md; a new
non-portable model (or a model that became portable) makes this test fail until the
documentation is updated.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from citylake.core.paths import DBT_PROJECT_DIR, REPO_ROOT, Home

DOC = REPO_ROOT / "docs" / "libraries.md"
SCRIPT = DBT_PROJECT_DIR / "scripts" / "portability.py"


def _portability():
    spec = importlib.util.spec_from_file_location("portability", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documented_allow_list() -> set[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- portability:begin -->")[1].split("<!-- portability:end -->")[0]
    rows = set()
    for line in block.splitlines():
        m = re.match(r"\|\s*`?([a-z0-9_]+)`?\s*\|\s*(spark|trino)\s*\|", line)
        if m:
            rows.add((m.group(1), m.group(2)))
    return rows


def test_check_sql_flags_spatial_and_macros_but_not_plain_sql():
    p = _portability()
    assert p.check_sql("select a, count(*) from t group by a", "spark") == []
    assert p.check_sql("select ST_Contains(ST_GeomFromText(w), ST_Point(x, y)) from t", "spark") == [
        "spatial ST_* functions"]
    assert p.check_sql("select cl_clean(x) from t", "trino") == ["standards macros cl_* (need UDFs)"]


@pytest.mark.slow
def test_non_portable_models_match_the_documented_allow_list(tmp_path):
    from citylake.orchestration.dbt_runner import invoke

    h = Home(tmp_path / "home").ensure()
    run = invoke(["compile"], run_date="2026-11-24", h=h)
    assert run.success
    found = set(_portability().check(_portability().compiled_models_dir(h.dbt_target)))
    documented = documented_allow_list()
    assert found, "nothing compiled?"
    assert sorted(found - documented) == [], "non-portable models missing from docs/libraries.md"
    assert sorted(documented - found) == [], "documented as non-portable but now portable: update docs"


@pytest.mark.parametrize(("sql", "reason"), [
    ("select regexp_replace(a, ' ', '') from t", "regexp_replace without 'g'"),
    ("select regexp_replace(a, '^(..)', '\\1-', 'g') from t", "regexp_replace back-reference"),
    ("select date_diff('minute', a, b) from t", "date_diff('minute')"),
    ("select date_diff('hour', a, b) from t", "date_diff('hour')"),
    ("select datediff('year', a, b) from t", "date_diff('year')"),
    ("select dayofweek(d) from t", "dayofweek"),
    ("select list(x order by x) from t", "list(x ORDER BY x)"),
    ("select l[-1] from t", "negative list index"),
    ("select 1 / 0", "division by zero"),
    ("select cast(a as date) - cast(b as date) from t", "date - date"),
    ("select current_date - cast(b as date) from t", "date - date"),
    ("select row_number() over (partition by a order by b) from t", "ascending ORDER BY without NULLS LAST"),
    ("select string_agg(x, '>' order by y) from t", "ascending ORDER BY without NULLS LAST"),
])
def test_silent_constructs_are_flagged(sql, reason):
    found = _portability().silent_constructs(sql)
    assert len(found) == 1 and found[0].startswith(reason), found


def test_plain_sql_and_the_portable_spellings_are_not_flagged():
    p = _portability()
    assert p.silent_constructs(
        "select regexp_replace(a, ' ', '', 'g'), date_diff('day', a, b), list(x), l[1], a / nullif(b, 0), "
        "cast(a as date) - interval 1 day, row_number() over (order by a nulls last, b desc) from t") == []
