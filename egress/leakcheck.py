"""Leak check (出域检查): scan every export, package and data-service page before it leaves the restricted zone.

A file fails when it holds
  - a string that passes the GB 11643 ID number check (screened in SQL over every cell,
    confirmed by `standards.validators.ric_valid`, else python-stdnum's `stdnum.cn.ric`);
  - an 11-digit mobile number 1[3-9]xxxxxxxxx standing on its own (not inside a longer code);
  - a cell equal to a full name held by the population library (when it exists);
  - a column that is a not-shared item of the resource (or, when the package declares the
    columns it may carry, any other column).
The scan is vectorised: DuckDB reads the file (Parquet, CSV, XLSX; JSON-LD is flattened to
one string per value, an HTML page to one string per text node and attribute value), unpivots
every cell and applies the regexes and a semi-join on names. Without the name check, one pass
first finds the columns with an 11-digit run (`candidates`): only those are unpivoted.
A records page of the data service is scanned with the same patterns in memory (`scan_values`), and for names
against the population's names held in memory (`Names`, the same rule as the files' `leak_names`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from egress import sqlfiles

# The patterns of the number checks, one definition for DuckDB's scan of files (leak_scan.sql.j2) and
# Python's of a page (scan_values): an 18-character ID number candidate not inside a longer digit run; an
# 11-digit mobile number 1[3-9]… standing on its own, not part of a longer token or of a decimal number
# (a measure such as 13912345699.5 yuan in an indicator is not a phone number). Full-width digits count.
ID_NUMBER = r"(?:^|[^0-9])([0-9]{17}[0-9Xx])"
MOBILE = r"(?:^|[^0-9A-Za-z.])(1[3-9][0-9]{9})(?:[^0-9A-Za-z.]|$)"
FULL_WIDTH_FROM, FULL_WIDTH_TO = "０１２３４５６７８９Ｘｘ", "0123456789Xx"
ID_SCREEN, MOBILE_SCREEN = "[0-9]{17}[0-9Xx]", "1[3-9][0-9]{9}"    # cheap tests first: a cell the check may hit
CANDIDATE = "[0-9０-９]{11}"    # a column that never holds 11 digits in a row (full-width count) cannot hold either
PATTERNS = {"id_number": ID_NUMBER, "mobile": MOBILE, "id_screen": ID_SCREEN, "mobile_screen": MOBILE_SCREEN,
            "candidate": CANDIDATE, "full_width_from": FULL_WIDTH_FROM, "full_width_to": FULL_WIDTH_TO}
FULL_WIDTH = str.maketrans(FULL_WIDTH_FROM, FULL_WIDTH_TO)
SEPARATOR = "\n\n"    # between a column's cells: each cell keeps its own start and end for the patterns
_CHECKS = (("id_number", re.compile(ID_SCREEN), re.compile(ID_NUMBER)),
           ("mobile", re.compile(MOBILE_SCREEN), re.compile(MOBILE)))


class LeakError(RuntimeError):
    """Personal data or a not-shared item was found in something about to be published."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = [f"  {f.path.name}: {f.check} in column {f.column!r} ({f.hits} hits, e.g. {f.example})"
                 for f in findings[:20]]
        super().__init__(f"leak check failed: {len(findings)} finding(s); nothing was published\n" + "\n".join(lines))


@dataclass
class Finding:
    path: Path
    check: str           # id_number | mobile | name | not_shared_item | undeclared_column
    column: str
    hits: int
    example: str         # masked for the report


@dataclass
class Target:
    """A file to scan, the columns it may (allowed) or must not (forbidden) carry, and the personal columns
    a grant gives in clear (unmasked: not scanned for personal data; every other column still is)."""

    path: Path
    forbidden_columns: set[str] = field(default_factory=set)
    allowed_columns: set[str] | None = None
    unmasked_columns: set[str] = field(default_factory=set)


def _mask(s: str) -> str:
    s = str(s)
    return s[:3] + "*" * max(len(s) - 5, 1) + s[-2:] if len(s) > 5 else s[:1] + "*" * (len(s) - 1)


@cache
def _ric_validator():
    from standards.validators import ric_valid

    return lambda s: bool(ric_valid(s))


def install(conn) -> None:
    conn.execute(sqlfiles.load("leak_macros.sql"))


def load_names(conn, catalog=None) -> int:
    """Fill temp table leak_names with the residents' full names held by the population library
    (pii class `name`). Other name columns (e.g. a licence holder, which may be a company) are
    not personal names and would flag public enterprise names.

    Returns how many distinct names were loaded (0 when no base library holds names yet).
    """
    conn.execute(sqlfiles.load("leak_names_ddl.sql"))
    if catalog is None:
        return 0
    sources = [(e.schema_name, e.table_name, i.column_name) for e in catalog.entries
               if e.schema_name == "base" and e.library == "population" for i in e.items if i.pii == "name"]
    if sources:
        conn.execute(sqlfiles.render("leak_names_fill.sql.j2", sources=sources))
    return conn.execute(sqlfiles.load("leak_names_count.sql")).fetchone()[0]


def _json_values(conn, path: Path) -> str:
    """Register a JSON(-LD) document as a (key, value) table of its scalar values."""
    values: list[tuple[str, str]] = []

    def walk(x, key):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif x is not None:
            values.append((key, str(x)))

    walk(json.loads(path.read_text(encoding="utf-8")), "$")
    return _register(conn, values)


def _register(conn, values: list[tuple[str, str]]) -> str:
    import pyarrow as pa

    conn.register("leak_values", pa.table({"key": pa.array([k for k, _ in values], pa.string()),
                                           "value": pa.array([v for _, v in values], pa.string())}))
    return "leak_values"


class _HtmlText(HTMLParser):
    """(tag or attribute, text) of every text node and attribute value of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: list[tuple[str, str]] = []
        self._tag = "html"

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        self.values += [(f"{tag}@{k}", v) for k, v in attrs if v]

    def handle_data(self, data):
        if data.strip():
            self.values.append((self._tag, data))


def _html_values(conn, path: Path) -> str:
    """Register an HTML page as a (key, value) table of its text nodes and attribute values."""
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return _register(conn, parser.values)


# Types whose text can hold no 11-digit run and no name: a date, a time, a timestamp, a boolean, an interval,
# and integers of at most 32 bits (at most 10 digits).
_NO_PERSONAL_DATA = ("DATE", "TIME", "TIMESTAMP", "BOOLEAN", "INTERVAL", "TINYINT", "SMALLINT", "INTEGER",
                     "UTINYINT", "USMALLINT", "UINTEGER")


def can_hold_personal_data(type_name: str) -> bool:
    """Whether a column of this DuckDB type is scanned (dates, times and flags are not)."""
    return not str(type_name).upper().startswith(_NO_PERSONAL_DATA)


def _sources(conn, path: Path) -> list[tuple[list[str], str, list[str] | None]]:
    """[(column names, SQL source expression, the columns to scan (None: all))] for a file (one per XLSX sheet)."""
    kind = path.suffix.lower()
    if kind in (".json", ".jsonld"):
        return [([], _json_values(conn, path), None)]
    if kind in (".html", ".htm"):
        return [([], _html_values(conn, path), None)]
    if kind not in (".parquet", ".csv", ".xlsx"):
        raise ValueError(f"leak check: unsupported file type {path}")
    sheets = [None]
    if kind == ".xlsx":
        from openpyxl import load_workbook

        from citylake.core.db import load_extensions

        load_extensions(conn, ("excel",))  # read_xlsx, only when an XLSX export is scanned
        wb = load_workbook(path, read_only=True)
        sheets = list(wb.sheetnames)
        wb.close()
    out = []
    for sheet in sheets:
        src = sqlfiles.render("leak_source.sql.j2", kind=kind, path=str(path), sheet=sheet)
        described = conn.execute(sqlfiles.render("leak_columns.sql.j2", source=src)).description
        out.append(([d[0] for d in described], src, [d[0] for d in described if can_hold_personal_data(d[1])]))
    return out


def candidates(conn, source: str, columns: list[str]) -> list[str]:
    """The columns that hold an 11-digit run somewhere: the only ones where the number checks can hit."""
    if not columns:
        return []
    found = conn.execute(sqlfiles.render("leak_candidates.sql.j2", source=source, columns=columns,
                                           patterns=PATTERNS)).fetchone()
    return [c for c, hit in zip(columns, found, strict=True) if hit]


def scan_file(conn, target: Target, names: bool = False) -> list[Finding]:
    install(conn)
    path = Path(target.path)
    findings: list[Finding] = []
    for cols, src, scanned in _sources(conn, path):
        findings += _scan_source(conn, path, target, cols, src, scanned, names)
    return findings


def _column_findings(path: Path, target: Target, cols: list[str]) -> list[Finding]:
    """A not-shared item present, or (when the target declares its columns) any undeclared column."""
    findings = [Finding(path, "not_shared_item", c, 0, "column present") for c in cols
                if c in target.forbidden_columns]
    if target.allowed_columns is not None:
        findings += [Finding(path, "undeclared_column", c, 0, "column present") for c in cols
                     if c not in target.allowed_columns and c not in target.forbidden_columns]
    return findings


def _scan_source(conn, path: Path, target: Target, cols: list[str], src: str, scanned: list[str] | None,
                 names: bool) -> list[Finding]:
    """The checks on one source (a file, a sheet, a registered JSON or HTML document): its columns, then its cells."""
    findings = _column_findings(path, target, cols)
    if scanned is not None:
        scanned = [c for c in scanned if c not in target.unmasked_columns]
    if scanned is not None and not names:      # the name check reads every cell; the number checks need digits
        scanned = candidates(conn, src, scanned)
    if scanned == []:
        return findings
    valid = _ric_validator()
    for check, col, hits, examples in conn.execute(
            sqlfiles.render("leak_scan.sql.j2", source=src, names=names, columns=scanned, patterns=PATTERNS)).fetchall():
        if check == "id_number":
            examples = [e for e in examples if valid(e)]
            if not examples:
                continue
        findings.append(Finding(path, check, col, int(hits), _mask(examples[0])))
    return findings


def _text(v) -> str:  # noqa: ANN001 - a page's value
    """A cell as text: a string as it is, a list or record (`_flags`) as JSON, anything else by str()."""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict | list) else str(v)


@dataclass(frozen=True)
class Names:
    """Residents' full names held in memory, for the check of a page: the distinct names of 2 characters or more
    without `*` (the rule of leak_names_fill.sql.j2: a masked name such as 张* is not a name), as a set — a page's
    text cells are looked up in O(1) each, no query, no join."""

    held: frozenset[str]

    @classmethod
    def of(cls, names: pa.Array) -> Names:
        distinct = pc.unique(names.drop_null())
        kept = distinct.filter(pc.and_(pc.greater_equal(pc.utf8_length(distinct), 2),
                                       pc.invert(pc.match_substring(distinct, "*"))))
        return cls(frozenset(kept.to_pylist()))

    def found(self, cells: list) -> list[str]:
        """The cells (strings among `cells`) equal to a held name."""
        return [c for c in cells if isinstance(c, str) and c in self.held]


def _joined(values: list) -> str:
    """A column's values as one text, cells apart (SEPARATOR), full-width digits as digits."""
    return SEPARATOR.join(_text(v) for v in values if v is not None).translate(FULL_WIDTH)


def scan_values(label: str, columns: dict[str, list], target: Target, names: Names | None = None) -> list[Finding]:
    """The same checks on values about to leave from memory (a records page of the data service: {column:
    values}): the columns against the target's, then the ID numbers (valid by `ric_valid`) and mobile
    numbers in every cell but the unmasked columns — the files' patterns (ID_NUMBER, MOBILE), run by
    Python's `re` over each column's cells at once instead of DuckDB (a page is 100 rows: a query would cost
    more than the page) — and, given the population's `names`, every text cell equal to one of them."""
    path = Path(label)
    findings = _column_findings(path, target, list(columns))
    valid = _ric_validator()
    for col, values in columns.items():
        if col in target.unmasked_columns:
            continue
        text = _joined(values)
        for check, screen, pattern in _CHECKS:
            found = pattern.findall(text) if screen.search(text) else []
            found = [h for h in found if valid(h)] if check == "id_number" else found
            if found:
                findings.append(Finding(path, check, col, len(found), _mask(found[0])))
        named = names.found(values) if names is not None else []
        if named:
            findings.append(Finding(path, "name", col, len(named), _mask(named[0])))
    return findings


def scan(conn, targets: list[Target], catalog=None) -> list[Finding]:
    """Scan all targets; returns the findings (empty = clean)."""
    names = load_names(conn, catalog) > 0
    out: list[Finding] = []
    for t in targets:
        out += scan_file(conn, t, names=names)
    return out


def check(conn, targets: list[Target], catalog=None) -> int:
    """Scan and raise LeakError on any finding. Returns the number of files scanned."""
    findings = scan(conn, targets, catalog)
    if findings:
        raise LeakError(findings)
    return len(targets)
