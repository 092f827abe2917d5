"""Department quality reports (部门数据质量报告): one self-contained HTML page per department
and night under ``<home>/reports/<date>/<dept>.html``, plus ``index.html`` over all departments.

Offline by construction: inline CSS, inline SVG charts, no scripts, no external URL. Personal
data is masked (samples are masked when the gate records them; quarantined rows are masked here
by the element registry's pii classes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from citylake.paths import Home, home
from quality import sqlt
from quality.gates import DIMENSIONS, DIMENSIONS_ZH
from quality.masking import mask_value

TEMPLATES = Path(__file__).with_name("templates")
TREND_NIGHTS = 14
HANDOVER_ZH = {"department_to_raw": "部门 → 原始区", "raw_to_staging": "原始区 → 标准化",
               "staging_to_base": "标准化 → 基础库", "base_to_theme": "基础库 → 专题库",
               "library_to_export": "库 → 共享/开放"}
COLORS = {"conformity": "#1f77b4", "completeness": "#2ca02c", "accuracy": "#d62728",
          "consistency": "#9467bd", "timeliness": "#ff7f0e", "accessibility": "#17becf"}


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["score"] = lambda v: "–" if v is None else f"{v:.1f}"
    env.filters["num"] = lambda v: "–" if v is None else f"{v:,}"
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.2f}%"
    env.filters["grade"] = lambda v: ("na" if v is None else "good" if v >= 95 else "fair" if v >= 80 else "poor")
    return env


@dataclass
class Chart:
    width: int
    height: int
    dates: list[str]
    series: list[dict]      # {dimension, name_zh, color, points: "x,y ...", dots: [(x,y,value)]}
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]


def trend_chart(history: list[tuple[str, str, float | None]], width: int = 720, height: int = 240) -> Chart:
    """An inline-SVG line chart of the six dimension scores over the nights in ``history``."""
    dates = sorted({d for d, _, _ in history})
    left, right, top, bottom = 40, 150, 12, 28
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (pw * i / (len(dates) - 1) if len(dates) > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (1 - v / 100)

    by_dim: dict[str, dict[str, float]] = defaultdict(dict)
    for d, dim, v in history:
        if v is not None:
            by_dim[dim][d] = v
    series = []
    for dim in DIMENSIONS:
        pts = [(x(i), y(by_dim[dim][d]), by_dim[dim][d]) for i, d in enumerate(dates) if d in by_dim[dim]]
        series.append({"dimension": dim, "name_zh": DIMENSIONS_ZH[dim], "color": COLORS[dim],
                       "points": " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in pts),
                       "dots": [(round(px, 1), round(py, 1), v) for px, py, v in pts]})
    step = max(1, len(dates) // 7)
    return Chart(width, height, dates, series, [(round(y(v), 1), v) for v in (0, 25, 50, 75, 100)],
                 [(round(x(i), 1), d[5:]) for i, d in enumerate(dates) if i % step == 0 or i == len(dates) - 1])


def _rows(conn, sql: str, params: list) -> list[dict]:  # noqa: ANN001
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _table_exists(conn, schema: str, table: str) -> bool:  # noqa: ANN001
    return bool(conn.execute(sqlt.statements("columns_of.sql"), [schema, table]).fetchall())


def _quarantine(conn, h: Home, dept_id: str, date: str) -> list[dict]:  # noqa: ANN001
    from ingest import registry
    from quality.suites import pii_by_column

    files = list((h.quarantine / dept_id).glob(f"*/dt={date}/quarantine.parquet"))
    if not files:
        return []
    glob = str(h.quarantine / dept_id / "*" / f"dt={date}" / "quarantine.parquet")
    out = _rows(conn, sqlt.render("quarantine_summary.sql", glob=glob), [])
    feeds = registry.load()
    for q in out:
        pii = pii_by_column(feeds[q["feed_id"]]) if q["feed_id"] in feeds else {}
        samples = []
        for original in q.pop("originals") or []:
            try:
                row = json.loads(original) if original else {}
            except ValueError:
                row = {"original": original}
            samples.append({k: mask_value(v, pii.get(k)) for k, v in
                            (row.items() if isinstance(row, dict) else [])})
        q["samples"] = samples
    return out


def _collect(conn, h: Home, dept_id: str | None, date: str) -> dict:  # noqa: ANN001
    has_scores = _table_exists(conn, "quality", "scores")
    has_runs = _table_exists(conn, "quality", "gate_runs")
    history = []
    feed_scores: dict[str, dict[str, float | None]] = defaultdict(dict)
    if has_scores:
        if dept_id:
            history = [(r["run_date"], r["dimension"], r["score"]) for r in _rows(
                conn, sqlt.render("report_scores_history.sql", nights=TREND_NIGHTS), [dept_id, date, date])]
        for r in _rows(conn, sqlt.statements("report_feed_scores.sql"), [date, dept_id, dept_id]):
            feed_scores[r["dataset"]][r["dimension"]] = r["score"]
            feed_scores[r["dataset"]]["_department"] = r["department"]
    runs = _rows(conn, sqlt.statements("report_gate_runs.sql"), [date, dept_id, dept_id]) if has_runs else []
    failures = []
    if has_runs and dept_id:
        for f in _rows(conn, sqlt.statements("report_failures.sql"), [date, dept_id]):
            f["sample"] = json.loads(f["sample"]) if f["sample"] else []
            failures.append(f)
    return {"history": history, "feed_scores": dict(feed_scores), "runs": runs, "failures": failures}


def write_department_report(dept_id: str, date: str, h: Home | None = None) -> Path:
    """Write ``reports/<date>/<dept>.html`` for one department and night; returns the path."""
    from citylake import db
    from ingest import registry

    h = h or home()
    depts = registry.departments()
    if dept_id not in depts:
        raise KeyError(f"unknown department {dept_id!r}; known: {', '.join(depts)}")
    dept = depts[dept_id]
    feeds = [f for f in registry.load().values() if f.department.id == dept_id]
    conn = db.connect(h=h, read_only=True, macros=False)
    try:
        data = _collect(conn, h, dept_id, date)
        quarantine = _quarantine(conn, h, dept_id, date)
    finally:
        conn.close()
    today = {dim: v for d, dim, v in data["history"] if d == date}
    fixes = []
    seen = set()
    for f in data["failures"]:
        key = (f["dataset"], f["fix_en"])
        if f["fix_en"] and key not in seen:
            seen.add(key)
            fixes.append(f)
    html = _env().get_template("department.html.j2").render(
        dept=dept, date=date, feeds=feeds, dimensions=DIMENSIONS, dimensions_zh=DIMENSIONS_ZH,
        today=today, chart=trend_chart(data["history"]), feed_scores=data["feed_scores"], runs=data["runs"],
        failures=data["failures"], quarantine=quarantine, fixes=fixes, handover_zh=HANDOVER_ZH,
        blocked=[r for r in data["runs"] if not r["passed"]],
        run_by_dataset={r["dataset"]: r for r in data["runs"] if r["handover"] == "department_to_raw"})
    out = h.reports / date / f"{dept_id}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def write_index(date: str, h: Home | None = None) -> Path:
    """Write ``reports/<date>/index.html``: every department's scores and gate outcomes for the night."""
    from citylake import db
    from ingest import registry

    h = h or home()
    conn = db.connect(h=h, read_only=True, macros=False)
    try:
        data = _collect(conn, h, None, date)
        dept_scores: dict[str, dict[str, float | None]] = defaultdict(dict)
        if _table_exists(conn, "quality", "scores"):
            for r in _rows(conn, sqlt.statements("report_dept_scores.sql"), [date]):
                dept_scores[r["department"]][r["dimension"]] = r["score"]
    finally:
        conn.close()
    runs_by_dept: dict[str, list[dict]] = defaultdict(list)
    for r in data["runs"]:
        runs_by_dept[r["department"]].append(r)
    html = _env().get_template("index.html.j2").render(
        date=date, departments=registry.departments(), dimensions=DIMENSIONS, dimensions_zh=DIMENSIONS_ZH,
        dept_scores=dept_scores, runs_by_dept=runs_by_dept,
        reports={p.stem for p in (h.reports / date).glob("*.html")})
    out = h.reports / date / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def write_all(date: str, h: Home | None = None) -> list[Path]:
    """Reports for every department of the registry, then the index."""
    from ingest import registry

    h = h or home()
    paths = [write_department_report(d, date, h) for d in registry.departments()]
    paths.append(write_index(date, h))
    return paths
