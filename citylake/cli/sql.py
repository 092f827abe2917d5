"""`citylake sql`: read-only SQL on the lake, for scripts and for people.

Scripts: `-c` or stdin may hold several statements separated by `;`; the first SQL error stops
the script with one line on stderr and exit 2; `--format csv|json` prints every row. People: an
interactive prompt with line editing and history (stdlib readline), statements ending at `;`,
tables capped at 200 rows with the total said. Time travel by snapshot id or by night.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from citylake.core.db import EXTENSIONS, LAKE_ALIAS, catalog, connect, ducklake_attach_sql, extension_path
from citylake.core.errors import UserError
from citylake.core.paths import Home
from standards.macros import install_macros

TABLE_MAX_ROWS = 200
_CHUNK = 10_000


class SqlError(UserError):
    """The database refused a statement (its message, on one line)."""


def open_lake(h: Home, snapshot: int | None = None, night: str | None = None) -> duckdb.DuckDBPyConnection:
    """The lake, read-only, as of now, of a snapshot, or of the end of a night."""
    from citylake.orchestration.nightmarks import night_snapshot

    if snapshot is not None and night is not None:
        raise UserError("give --snapshot or --night, not both")
    conn = connect(read_only=True, h=h, extensions=EXTENSIONS)  # spatial: geometry columns
    install_macros(conn)  # staging views call the cl_* macros
    if night is not None:
        snapshot = night_snapshot(conn, night)
    elif snapshot is not None:
        check_snapshot(conn, snapshot)
    if snapshot is not None:
        conn.execute("USE memory")
        conn.execute(f"DETACH {LAKE_ALIAS}")
        conn.execute(ducklake_attach_sql(h, read_only=True, snapshot=snapshot))
        conn.execute(f"USE {LAKE_ALIAS}")
    return conn


def check_snapshot(conn: duckdb.DuckDBPyConnection, snapshot: int) -> None:
    """UserError with the lake's snapshot range unless `snapshot` is one of its snapshots."""
    ids = {r[0] for r in conn.execute(f"select snapshot_id from {LAKE_ALIAS}.snapshots()").fetchall()}
    if snapshot not in ids:
        raise UserError(f"snapshot {snapshot} does not exist: this lake has snapshots {min(ids)}–{max(ids)} "
                        f"(list them: citylake sql -c \"select * from lake.snapshots()\")")


def one_line(message: str) -> str:
    """DuckDB's message on one line, without the caret drawing under `LINE n:`."""
    lines = [x.strip() for x in message.splitlines() if x.strip()]
    kept = []
    for x in lines:
        if x.startswith("LINE "):
            break
        kept.append(x)
    return " ".join(kept or lines)


class Output:
    """How results are printed: `table` (capped, says when), `csv` or `json` (every row, unless
    --max-rows)."""

    def __init__(self, fmt: str, max_rows: int | None, console: Console) -> None:
        self.fmt = fmt
        self.max_rows = max_rows if max_rows is not None else (TABLE_MAX_ROWS if fmt == "table" else None)
        self.console = console

    def write(self, rel: duckdb.DuckDBPyRelation) -> None:
        rows = _rows(rel, self.max_rows)
        if self.fmt == "table":
            shown = list(rows)
            self._table(rel.columns, shown, _count_rest(rel))
            return
        (self._csv if self.fmt == "csv" else self._json)(rel.columns, rows)
        rest = _count_rest(rel)
        if rest:
            print(f"citylake: {self.max_rows:,} of {self.max_rows + rest:,} rows written (--max-rows)",
                  file=sys.stderr)

    def _table(self, columns: list[str], rows: list[tuple], rest: int) -> None:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*["NULL" if v is None else str(v) for v in row])
        self.console.print(table)
        n = len(rows)
        if rest:
            self.console.print(f"({n:,} of {n + rest:,} rows shown: --max-rows N, or --format csv for all)")
        else:
            self.console.print(f"({n:,} row{'' if n == 1 else 's'})")

    @staticmethod
    def _csv(columns: list[str], rows: Iterator[tuple]) -> None:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)

    @staticmethod
    def _json(columns: list[str], rows: Iterator[tuple]) -> None:
        sys.stdout.write("[")
        for i, row in enumerate(rows):
            sys.stdout.write(("," if i else "") + "\n" + json.dumps(dict(zip(columns, row, strict=True)),
                                                                    ensure_ascii=False, default=str))
        sys.stdout.write("\n]\n")


def _rows(rel: duckdb.DuckDBPyRelation, limit: int | None) -> Iterator[tuple]:
    """Up to `limit` rows (all if None), fetched in chunks."""
    left = limit
    while left is None or left > 0:
        chunk = rel.fetchmany(_CHUNK if left is None else min(_CHUNK, left))
        if not chunk:
            return
        yield from chunk
        if left is not None:
            left -= len(chunk)


def _count_rest(rel: duckdb.DuckDBPyRelation) -> int:
    """How many rows of `rel` are left unfetched."""
    return sum(len(chunk) for chunk in iter(lambda: rel.fetchmany(_CHUNK), []))


def run_script(conn: duckdb.DuckDBPyConnection, text: str, out: Output) -> None:
    """Run every statement of `text` in order; the first error raises SqlError (one line)."""
    try:
        statements = conn.extract_statements(text)
        for statement in statements:
            rel = conn.sql(statement.query)
            if rel is not None:
                out.write(rel)
    except duckdb.Error as e:
        raise SqlError(f"SQL error: {one_line(str(e))}") from e


def complete(buffer: str) -> bool:
    """Whether the lines typed so far end a statement (`;` at the end, as in psql and duckdb)."""
    return buffer.rstrip().endswith(";")


def interactive(conn: duckdb.DuckDBPyConnection, out: Output, history: Path) -> None:
    """The prompt: line editing and history (readline, kept in `history`), multi-line statements."""
    import readline

    if history.exists():
        readline.read_history_file(history)
    readline.set_history_length(2000)
    out.console.print("citylake lake (read-only). Schemas: base, theme, indicator, quality, catalog. "
                      "End statements with ; — Ctrl-D to quit.")
    try:
        _prompt_loop(conn, out)
    finally:
        history.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history)


def _prompt_loop(conn: duckdb.DuckDBPyConnection, out: Output) -> None:
    lines: list[str] = []
    while True:
        try:
            lines.append(input("    ...> " if lines else "citylake> "))
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            lines = []
            continue
        text = "\n".join(lines)
        if not text.strip():
            lines = []
        elif complete(text):
            lines = []
            try:
                run_script(conn, text, out)
            except SqlError as e:
                out.console.print(f"[red]{e}[/]", highlight=False)


def recipe(h: Home, attach: bool = True, macros: bool = False) -> str:
    """SQL for a plain DuckDB client (no citylake, offline): load the extensions from the wheel
    files, attach the lake read-only; and/or create the `cl_*` macros the staging views call."""
    parts = []
    if attach:
        ext_dir = h.duckdb_extensions
        kind = catalog(h).kind  # sqlite or postgres: the extension that reads the lake's catalog
        parts += ["-- citylake lake: open it read-only from DuckDB 1.5.5, offline (nothing is downloaded).",
                  "SET autoinstall_known_extensions = false;", "SET autoload_known_extensions = false;",
                  f"SET extension_directory = '{ext_dir}';",
                  *(f"INSTALL '{extension_path(name, alias=False)}';" for name in ("ducklake", kind)),
                  "LOAD ducklake;", f"LOAD {kind};",
                  ducklake_attach_sql(h, read_only=True) + ";", f"USE {LAKE_ALIAS};"]
    if macros:
        from standards.macros import macros_script

        parts += ["-- the cl_* standards macros (TEMP: per connection), needed by the staging.* views",
                  macros_script()]
    return "\n".join(parts)
