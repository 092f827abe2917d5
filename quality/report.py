"""Department quality reports (部门数据质量报告): one self-contained HTML page per department
and night under ``<home>/reports/<date>/<dept>.html``, plus ``index.html`` over all departments.

Offline by construction: inline CSS, inline SVG charts, no scripts, no external URL. A report
leaves the restricted zone through the exit (`egress`): every value it shows is masked by the
catalog policy's rule for its column's pii class (element registry), every rendered string is
scrubbed of ID numbers and mobiles (Jinja ``finalize``), raw lines that could not be split into
fields are masked field by field, and the page is leak-checked before it lands under reports/.

A department's page also tells it what consumers said about its data and who used it: the
objections (数据纠错) and the data service's usage, which the caller reads from the platform's
metadata database (catalogs.feedback, one level beside this one) and passes in as `feedback`.
Record keys and claimed values are masked by their columns' pii classes; free text (evidence,
resolution notes, the operator header) is not shown — the CLI inside the zone has it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from citylake.core.paths import Home
from egress import release_text
from egress.masking import mask_value, mask_values
from egress.scrub import scrub_raw_line, scrub_text, visible
from quality import sqlt
from quality.specs import DIMENSIONS, DIMENSIONS_ZH

TEMPLATES = Path(__file__).with_name("templates")
TREND_NIGHTS = 14
HANDOVER_ZH = {"department_to_raw": "部门 → 原始区", "raw_to_staging": "原始区 → 标准化",
               "staging_to_base": "标准化 → 基础库", "base_to_theme": "基础库 → 专题库",
               "library_to_export": "库 → 共享/开放"}
# quarantine reason codes of ingest (ingest.checks.REASON_CODES and the readers): (中文, English, 整改)
QUARANTINE_REASONS = {
    "missing_required": ("必填项为空", "required field is empty", "补全必填项"),
    "wrong_type": ("数据类型不符（无法识别为日期、时间或数字）", "value of the wrong type (not a date, date-time or number)",
                   "按规定的格式填写"),
    "malformed_line": ("行格式错误（列数与表头不符，或不是有效的 JSON 对象）",
                       "malformed line (column count differs from the header, or not a valid JSON object)",
                       "修正该行的分隔符、引号或 JSON 格式"),
    "invalid_check_digit": ("校验位错误（公民身份号码或统一社会信用代码）",
                            "check digit invalid (ID number or unified social credit code)", "在源系统核对并更正号码"),
    "duplicate_key": ("主键重复（首次出现的记录已入库）", "duplicate primary key (its first occurrence landed)",
                      "去除重复的记录"),
    "future_watermark": ("更新时间晚于本次交换日（增量抽取的时间戳有误）",
                         "watermark after the night being landed (a wrong update timestamp)",
                         "在源系统更正该记录的更新时间"),
}
OTHER_REASON = ("其他原因", "other reason", "核对并更正")
COLORS = {"conformity": "#1f77b4", "completeness": "#2ca02c", "accuracy": "#d62728",
          "consistency": "#9467bd", "timeliness": "#ff7f0e", "accessibility": "#17becf"}


class PublicCode(str):
    """A value the registry declares public (a department's unified social credit code): not scrubbed."""


def _finalize(value: object) -> object:
    """Every rendered string passes the exit's scrubber, except a declared public code."""
    return scrub_text(value) if isinstance(value, str) and not isinstance(value, PublicCode) else value


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             finalize=_finalize)
    env.filters["shown"] = visible
    env.filters["public"] = PublicCode
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


def reason_labels(code: str) -> dict[str, str]:
    """Chinese and English label and the Chinese fix of one quarantine reason code."""
    zh, en, fix_zh = QUARANTINE_REASONS.get(code, OTHER_REASON)
    return {"reason_zh": zh, "reason_en": en, "fix_zh": fix_zh}


def masked_sample(original: str | None, pii: dict[str, str], columns: set[str]) -> tuple[dict, dict[str, str]]:
    """One quarantined row as shown: (masked row, {raw personal value: masked}) for scrubbing the reason.

    A registered column is masked by its pii class; anything else (a raw line that could not be
    split into fields, unknown keys) is raw text, masked field by field."""
    try:
        row = json.loads(original) if original else {}
    except ValueError:
        row = {"original": original}
    if not isinstance(row, dict):
        row = {"original": original}
    shown, known = {}, {}
    for k, v in row.items():
        if k in columns:
            shown[k] = mask_value(v, pii.get(k))
            if pii.get(k) and v is not None:
                known[str(v)] = str(shown[k])
        else:
            shown[k] = scrub_raw_line(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    return shown, known


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
        feed = feeds.get(q["feed_id"])
        pii = pii_by_column(feed) if feed else {}
        shown = [masked_sample(o, pii, set(feed.columns) if feed else set()) for o in q.pop("originals") or []]
        q["samples"] = [s for s, _ in shown]
        known = {k: v for _, kn in shown for k, v in kn.items()}
        q["reason"] = scrub_text(q["reason"] or "", known)
        q.update(reason_labels(q["reason_code"]))
    return out


def _column_pii(dataset: str, column: str | None) -> str | None:
    """The pii class of a checked column: the feed's element, else the element of that name (library tables)."""
    from ingest import registry
    from quality.suites import pii_by_column
    from standards.registry import elements

    feeds = registry.load()
    if dataset in feeds:
        return pii_by_column(feeds[dataset]).get(column)
    el = elements().get(column or "")
    return el.pii if el is not None else None


def _mask_failure(f: dict) -> None:
    """Mask a failing check's recorded sample again by its column's pii class. Its error text (an
    exception message that may quote values) is raw text, masked before the template shortens it
    (a cut would hide an ID number from the scrubber)."""
    pii = _column_pii(f["dataset"], f["column_name"])
    f["sample"] = mask_values(f["sample"], pii)
    f["error"] = scrub_raw_line(f["error"]) if f["error"] else f["error"]


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
            _mask_failure(f)
            failures.append(f)
    return {"history": history, "feed_scores": dict(feed_scores), "runs": runs, "failures": failures}


def _objection_shown(o: dict) -> dict:
    """One objection as the report shows it: the record key and the claimed value masked by their columns'
    pii classes (the catalog's item, else the data element of that name)."""
    model, pii = o.get("model") or "", o.get("pii") or {}

    def cls(column: str) -> str | None:
        return pii[column] if column in pii else _column_pii(model, column)

    key = {k: mask_value(v, cls(k)) for k, v in o["record_key"].items()}
    return {**o, "record_key": key, "claimed_value": mask_value(o["claimed_value"], cls(o["field"]))}


def consumer_sections(feedback: dict | None) -> dict:
    """The objections and usage sections' data (None: the caller had no metadata database to read)."""
    if feedback is None:
        return {"consumers": None}
    usage = [{**u, "purposes": sorted(u["purposes"].items(), key=lambda p: -p[1])} for u in feedback["usage"]]
    objections = [_objection_shown(o) for o in feedback["objections"]]
    return {"consumers": {"since": feedback["since"], "until": feedback["until"], "usage": usage,
                          "objections": objections, "open": sum(o["status"] == "open" for o in objections),
                          "departments": len({u["department"] for u in usage}),
                          "calls": sum(u["calls"] for u in usage), "rows": sum(u["rows"] for u in usage)}}


def _staging(h: Home, date: str) -> Path:
    """Where a report page is rendered inside the zone before the exit lets it out."""
    return h.work_db.parent / "egress" / "reports" / date


def write_department_report(dept_id: str, date: str, *, h: Home, feedback: dict | None = None) -> Path:
    """Write ``reports/<date>/<dept>.html`` for one department and night; returns the path. `feedback` is
    what consumers said and did with the department's data (catalogs.feedback.Reader(h, date)(dept_id))."""
    from citylake.core import db
    from ingest import registry
    depts = registry.departments()
    if dept_id not in depts:
        raise KeyError(f"unknown department {dept_id!r}; known: {', '.join(depts)}")
    dept = depts[dept_id]
    feeds = [f for f in registry.load().values() if f.department.id == dept_id]
    conn = db.connect(h=h, read_only=True)
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
        run_by_dataset={r["dataset"]: r for r in data["runs"] if r["handover"] == "department_to_raw"},
        **consumer_sections(feedback))
    return release_text(html, h.reports / date / f"{dept_id}.html", staging=_staging(h, date))


def write_index(date: str, *, h: Home) -> Path:
    """Write ``reports/<date>/index.html``: every department's scores and gate outcomes for the night."""
    from citylake.core import db
    from ingest import registry
    conn = db.connect(h=h, read_only=True)
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
    return release_text(html, h.reports / date / "index.html", staging=_staging(h, date))


def write_all(date: str, *, h: Home, feedback: Callable[[str], dict] | None = None) -> list[Path]:
    """Reports for every department of the registry, then the index; `feedback(dept_id)` as for one report."""
    from ingest import registry

    paths = [write_department_report(d, date, h=h, feedback=feedback(d) if feedback else None)
             for d in registry.departments()]
    paths.append(write_index(date, h=h))
    return paths
