"""The standards' ``cl_*`` validators on Spark: ``standards/macros_spark.sql`` as persistent SQL functions.

One source, two uses:

- ``statements()`` — the ``CREATE FUNCTION`` statements, for any Spark SQL client;
- ``python -m standards.macros_spark`` writes ``dbt_project/macros/spark_standards.sql`` (generated:
  the dbt project's Spark on-run-start runs them; tests/standards keep the copy in sync).

The lookups the functions read (``default.cl_codes``, ``default.cl_ric_divisions``) come from ONE
Parquet file that ``write_codes`` makes from the code-set CSVs with DuckDB: Spark's CSV reader takes
the header of the first file only, and the CSVs have different columns.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from standards.macros import CODESETS_GLOB, LOOKUPS_FILE, sql_literal

HERE = Path(__file__).parent
SPARK_FILE = HERE / "macros_spark.sql"
DBT_MACRO = HERE.parent / "dbt_project" / "macros" / "spark_standards.sql"
SEPARATOR = "\n;;\n"


def statements() -> list[str]:
    """The ``CREATE OR REPLACE FUNCTION`` statements of macros_spark.sql, comments dropped."""
    text = SPARK_FILE.read_text(encoding="utf-8")
    out = []
    for chunk in text.split(SEPARATOR):
        body = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("--")).strip()
        if body:
            out.append(body)
    return out


def function_names() -> list[str]:
    """Public function names (``cl_*`` without the ``cl__`` helpers), in file order."""
    names = [s.split("default.", 1)[1].split("(", 1)[0] for s in statements()]
    return [n for n in names if not n.startswith("cl__")]


def write_codes(directory: Path) -> Path:
    """Write every code set, long format (codeset, code, name_zh, parent), as one Parquet file."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "cl_codes.parquet"
    lookups = LOOKUPS_FILE.read_text(encoding="utf-8").replace("{codesets_glob}", sql_literal(CODESETS_GLOB))
    select = lookups.split("AS\n", 1)[1].rstrip().rstrip(";")
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({select}) TO {sql_literal(str(target))} (FORMAT parquet)")
    finally:
        con.close()
    return target


def lookup_statements(codes_dir: str) -> list[str]:
    """The statements that (re)create the two lookup tables over ``codes_dir`` (holding cl_codes.parquet)."""
    location = sql_literal(codes_dir)
    return [
        "DROP TABLE IF EXISTS default.cl_codes",
        f"CREATE TABLE default.cl_codes USING parquet LOCATION {location}",
        "DROP TABLE IF EXISTS default.cl_ric_divisions",
        "CREATE TABLE default.cl_ric_divisions USING parquet AS "
        "SELECT DISTINCT code FROM default.cl_codes WHERE codeset = 'ric_divisions'",
    ]


def dbt_macro_text() -> str:
    """The generated dbt macro: ``spark_standard_functions()`` returns the statements (raw blocks)."""
    blocks = "".join(
        "{% set s %}{% raw %}" + s + "{% endraw %}{% endset %}{% do out.append(s) %}\n" for s in statements())
    lookups = ", ".join('"' + q + '"' for q in lookup_statements("{codes_dir}"))
    return (
        "{#- GENERATED from standards/macros_spark.sql by `python -m standards.macros_spark` - do not edit. -#}\n"
        "{% macro spark_standard_functions() -%}\n"
        "{%- set out = [] -%}\n" + blocks + "{{ return(out) }}\n"
        "{%- endmacro %}\n\n"
        "{#- The lookup tables over the directory holding cl_codes.parquet (standards.macros_spark.write_codes). -#}\n"
        "{% macro spark_standard_lookups(codes_dir) -%}\n"
        "{%- set out = [] -%}\n"
        "{%- for s in [" + lookups + "] -%}{% do out.append(s | replace('{codes_dir}', codes_dir)) %}{%- endfor -%}\n"
        "{{ return(out) }}\n"
        "{%- endmacro %}\n"
    )


def main() -> int:
    DBT_MACRO.write_text(dbt_macro_text(), encoding="utf-8")
    print(f"wrote {DBT_MACRO} ({len(statements())} functions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
