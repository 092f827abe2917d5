"""Expectation suites generated from metadata, never hand-copied.

- **element level** from the data element registry (standards/elements): format regex,
  code set, validator macro (``cl_*``), the ID-number cross-check, PII class for masking;
- **feed level** from the feed registry (ingest/feeds): primary key unique and present,
  required fields present, row count relative to recent nights (landing manifests),
  timeliness of the delivery;
- **library level** from dbt's manifest.json: ``unique``/``not_null`` tests of models
  and row-count reconciliation between layers declared in model ``meta.quality``.

Severity follows DataWorks' strong/weak rules (docs/quality.md has the rule table).
"""

from __future__ import annotations

import json
import math
import statistics
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

from citylake.core.paths import Home
from quality import sqlt
from quality.specs import UNEXPECTED_ROWS, ExpectationSpec
from standards.registry import Element
from standards.registry import elements as std_elements

ID_TOLERANCE = 0.01          # blocking validator checks tolerate up to 1 % invalid values
HISTORY_NIGHTS = 7           # recent nights used for row-count bounds
QUARANTINE_SHARE = 0.05       # a delivery blocks when more than 5 % of its rows were refused at landing …
QUARANTINE_MIN_ROWS = 20      # … and at least this many (one bad row of a tiny delivery does not block)
SNAPSHOT_MIN_RATIO, SNAPSHOT_MAX_RATIO = 0.5, 3.0
EVENT_MIN_RATIO, EVENT_MAX_RATIO = 0.2, 5.0
# when a delivery for night D is due, by update cycle (time after D 00:00)
DELIVERY_DEADLINE = {"realtime": timedelta(hours=30), "hourly": timedelta(hours=30),
                     "daily": timedelta(hours=36), "weekly": timedelta(days=8),
                     "monthly": timedelta(days=32), "quarterly": timedelta(days=93),
                     "yearly": timedelta(days=366), "annual": timedelta(days=366)}
# how old the newest event of an increment may be, by update cycle
EVENT_LAG = {"realtime": timedelta(days=1), "hourly": timedelta(days=1), "daily": timedelta(days=1),
             "weekly": timedelta(days=7), "monthly": timedelta(days=31)}


def elements() -> dict[str, Element]:
    """All data elements by id (the standards registry is the one source of truth)."""
    return std_elements()


def element_of(field) -> Element | None:  # noqa: ANN001 - ingest.registry.Field
    return elements().get(field.element) if field.element else None


def pii_by_column(feed) -> dict[str, str]:  # noqa: ANN001
    out = {}
    for f in feed.fields:
        el = element_of(f)
        if el is not None and el.pii and el.pii != "none":
            out[f.name] = el.pii
    return out


# --------------------------------------------------------------------------- element level

def element_specs(feed, field, *, raw: bool = True) -> list[ExpectationSpec]:  # noqa: ANN001
    """Expectations a field inherits from its data element (数据元)."""
    el = element_of(field)
    if el is None:
        return []
    col, src = field.name, f"element {el.id} ({el.name_zh})"
    key_field = field.required or col in feed.primary_key
    label = f"{col} ({el.name_zh})"
    out: list[ExpectationSpec] = []
    if el.format:
        out.append(ExpectationSpec(
            "ExpectColumnValuesToMatchRegex", {"column": col, "regex": el.format}, "warning", "conformity",
            f"{label} follows the standard format {el.format}", f"{el.name_zh}符合标准格式 {el.format}",
            f"{src}: format", key=f"format:{col}", pii=el.pii,
            fix_en=f"Deliver {el.name_en or el.id} in the standard format (half-width, no spaces).",
            fix_zh=f"按标准格式报送{el.name_zh}（半角、无空格）。"))
    if el.validator:
        blocking = key_field
        out.append(ExpectationSpec(
            UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
                "validator_invalid.sql", column=col, macro=el.validator, has_row=raw)},
            "blocking" if blocking else "warning", "accuracy",
            f"{label} passes {el.validator} (check digit / validity)"
            + (f"; at most {ID_TOLERANCE:.0%} invalid" if blocking else ""),
            f"{el.name_zh}通过{el.validator}校验（校验位/有效性）" + (f"，无效不超过{ID_TOLERANCE:.0%}" if blocking else ""),
            f"{src}: validator", key=f"valid:{col}", tolerance=ID_TOLERANCE if blocking else 0.0, pii=el.pii,
            fix_en=f"Correct the invalid {el.name_en or el.id} values at the source system; they fail the check digit.",
            fix_zh=f"在源系统更正无效的{el.name_zh}（校验位不正确）。"))
    if el.codeset:
        out.append(ExpectationSpec(
            UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
                "codeset_invalid.sql", column=col, codeset=el.codeset, has_row=raw)},
            "warning", "conformity",
            f"{label} is a code of code set {el.codeset}", f"{el.name_zh}取值属于代码集 {el.codeset}",
            f"{src}: codeset {el.codeset}", key=f"codeset:{col}", pii=el.pii,
            fix_en=f"Map local codes of {el.name_en or el.id} to code set {el.codeset} before delivery.",
            fix_zh=f"报送前将{el.name_zh}的本地代码映射到代码集 {el.codeset}。"))
    return out


def crosscheck_specs(feed, *, raw: bool = True) -> list[ExpectationSpec]:  # noqa: ANN001
    """Cross-field rules between elements of one record (ID number vs birth date and sex)."""
    by_element = {f.element: f.name for f in feed.fields if f.element}
    if not {"id_number", "birth_date", "sex_code"} <= by_element.keys():
        return []
    return [ExpectationSpec(
        UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
            "ric_crosscheck.sql", id_column=by_element["id_number"], birth_column=by_element["birth_date"],
            sex_column=by_element["sex_code"], has_row=raw)},
        "warning", "consistency",
        "ID number agrees with birth date and sex code (GB 11643)", "公民身份号码与出生日期、性别一致（GB 11643）",
        "element id_number: cross-check", key=f"crosscheck:{by_element['id_number']}", pii="id_number",
        fix_en="Birth date or sex disagrees with the ID number: check the person's record.",
        fix_zh="出生日期或性别与身份号码不一致：请核对人员登记信息。")]


# --------------------------------------------------------------------------- feed level

def recent_row_counts(feed, date: str, h: Home, nights: int = HISTORY_NIGHTS) -> list[int]:  # noqa: ANN001
    """Rows landed on the last ``nights`` nights before ``date`` (landing manifests)."""
    base = h.raw / feed.department.id / feed.id
    counts: list[tuple[str, int]] = []
    for path in sorted(base.glob("dt=*/_manifest.json")):
        dt = path.parent.name.removeprefix("dt=")
        if dt >= date:
            continue
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        n = next((m[k] for k in ("rows_landed", "rows", "row_count") if isinstance(m.get(k), int)), None)
        if n is not None:
            counts.append((dt, n))
    return [n for _, n in counts[-nights:]]


def row_count_specs(feed, date: str, h: Home) -> list[ExpectationSpec]:  # noqa: ANN001
    history = recent_row_counts(feed, date, h)
    lo_r, hi_r = (EVENT_MIN_RATIO, EVENT_MAX_RATIO) if feed.is_event else (SNAPSHOT_MIN_RATIO, SNAPSHOT_MAX_RATIO)
    src = f"feed {feed.id}: row count vs {len(history)} recent nights (landing manifests)"
    if history:
        med = statistics.median(history)
        lo, hi = max(1, math.floor(lo_r * med)), max(1, math.ceil(hi_r * med))
        basis_en, basis_zh = f"the median of the last {len(history)} nights ({med:g})", f"近{len(history)}晚中位数（{med:g}）"
    else:
        lo, hi, basis_en, basis_zh = 1, None, "no history yet", "暂无历史"
    out = [ExpectationSpec(
        "ExpectTableRowCountToBeBetween", {"min_value": lo}, "warning" if feed.is_event else "blocking",
        "completeness", f"at least {lo} rows ({lo_r:.0%} of {basis_en})",
        f"行数不少于 {lo}（{basis_zh}的{lo_r:.0%}）", src, key="row_count:min",
        fix_en="The delivery looks truncated: re-export the full file and deliver again.",
        fix_zh="报送数据疑似不完整：请重新完整导出并重新报送。")]
    if hi is not None:
        out.append(ExpectationSpec(
            "ExpectTableRowCountToBeBetween", {"max_value": hi}, "warning", "consistency",
            f"at most {hi} rows ({hi_r:g}x {basis_en})", f"行数不超过 {hi}（{basis_zh}的{hi_r:g}倍）",
            src, key="row_count:max",
            fix_en="Unusually many rows: check for duplicated exports or a changed extraction query.",
            fix_zh="行数异常偏多：请检查是否重复导出或抽取口径变化。"))
    return out


def carried_quarantines(feed, date: str, h: Home) -> list[Path]:  # noqa: ANN001
    """The earlier nights' quarantines whose rows do not count against tonight's: a watermark feed reads again,
    every night, the rows that cannot be placed in a night (no or a bad watermark) and quarantines them again;
    refused before with the same content, they are not tonight's increment. They stay in tonight's quarantine
    and report. Other feeds deliver their rows anew each night: every refused row counts."""
    from ingest.land import quarantine_path

    if feed.delivery != "watermark":
        return []
    tonight = quarantine_path(feed, h.quarantine, date)
    return sorted(p for p in tonight.parent.parent.glob("dt=*/quarantine.parquet")
                  if p.parent.name.removeprefix("dt=") < date)


def quarantine_specs(feed, date: str, h: Home) -> list[ExpectationSpec]:  # noqa: ANN001
    """The rows landing refused count against the delivery: the landed rows are clean by
    construction (ingest quarantines missing keys, bad check digits, duplicates), so without
    this rule a delivery with a third of its IDs broken would pass with two thirds of its people."""
    from ingest.land import quarantine_path

    path = quarantine_path(feed, h.quarantine, date)
    if not path.exists():
        return []
    return [ExpectationSpec(
        UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
            "quarantine_share.sql", quarantine=str(path), carried=[str(p) for p in carried_quarantines(feed, date, h)],
            share=QUARANTINE_SHARE, min_rows=QUARANTINE_MIN_ROWS)},
        "blocking", "accuracy",
        f"at most {QUARANTINE_SHARE:.0%} of the delivered rows refused at landing (quarantine)",
        f"接入时被隔离的记录不超过 {QUARANTINE_SHARE:.0%}", f"feed {feed.id}: landing quarantine",
        key="quarantine:share",
        fix_en="Many rows were refused at landing (see the quarantine reasons below): fix them at the source "
               "and deliver the file again.",
        fix_zh="大量记录在接入时被隔离（见下方隔离原因）：请在源系统更正后重新报送。")]


def timeliness_specs(feed, date: str) -> list[ExpectationSpec]:  # noqa: ANN001
    night = Date.fromisoformat(date)
    if feed.is_event:
        col = feed.watermark or next((f.name for f in feed.fields
                                      if (f.type or getattr(element_of(f), "type", None)) == "timestamp"), None)
        if col is None:
            return []
        not_before = night - EVENT_LAG.get(feed.update_cycle, timedelta(days=1)) + timedelta(days=1)
        return [ExpectationSpec(
            UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
                "event_stale.sql", column=col, not_before=f"{not_before} 00:00:00")},
            "warning", "timeliness", f"newest {col} is on or after {not_before} ({feed.update_cycle} feed)",
            f"最新{col}不早于 {not_before}（更新周期 {feed.update_cycle}）",
            f"feed {feed.id}: update_cycle {feed.update_cycle}", key=f"fresh:{col}",
            fix_en="The increment carries no recent events: check the extraction window.",
            fix_zh="增量数据缺少最新记录：请检查抽取时间窗口。")]
    due = DELIVERY_DEADLINE.get(feed.update_cycle, timedelta(hours=36))
    deadline_ts = f"{(night + timedelta(days=due.days))} {due.seconds // 3600:02d}:00:00"
    return [ExpectationSpec(
        UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check("delivery_late.sql", deadline=deadline_ts)},
        "warning", "timeliness", f"delivered by {deadline_ts} UTC ({feed.update_cycle} feed)",
        f"于 {deadline_ts}（UTC）前报送（更新周期 {feed.update_cycle}）",
        f"feed {feed.id}: update_cycle {feed.update_cycle}", key="delivery:on_time",
        fix_en="Deliver the night's file on schedule (the nightly batch starts at 01:30).",
        fix_zh="请按时报送当晚数据（夜间批处理 01:30 开始）。")]


def feed_suite(feed, date: str, *, h: Home) -> list[ExpectationSpec]:  # noqa: ANN001
    """The department → raw lake suite of one feed for night ``date`` (landed raw Parquet)."""
    pii = pii_by_column(feed)
    specs: list[ExpectationSpec] = []
    pk = list(feed.primary_key)
    if len(pk) == 1:
        specs.append(ExpectationSpec(
            "ExpectColumnValuesToBeUnique", {"column": pk[0]}, "blocking", "accuracy",
            f"primary key {pk[0]} is unique", f"主键 {pk[0]} 唯一", f"feed {feed.id}: primary_key",
            key=f"pk_unique:{pk[0]}", pii=pii.get(pk[0], "none"),
            fix_en="Remove duplicated records (same primary key) before delivery.",
            fix_zh="报送前去除主键重复的记录。"))
    elif pk:
        specs.append(ExpectationSpec(
            "ExpectCompoundColumnsToBeUnique", {"column_list": pk}, "blocking", "accuracy",
            f"primary key ({', '.join(pk)}) is unique", f"联合主键（{', '.join(pk)}）唯一",
            f"feed {feed.id}: primary_key", key=f"pk_unique:{'+'.join(pk)}",
            fix_en="Remove duplicated records (same primary key) before delivery.",
            fix_zh="报送前去除主键重复的记录。"))
    for f in feed.fields:
        if f.required or f.name in pk:
            specs.append(ExpectationSpec(
                UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check("blank.sql", column=f.name)},
                "blocking", "completeness", f"required field {f.name} is present",
                f"必填字段 {f.name} 不为空", f"feed {feed.id}: field {f.name} required"
                + (" (primary key)" if f.name in pk else ""), key=f"required:{f.name}", pii=pii.get(f.name, "none"),
                fix_en=f"Fill in {f.name} for every record; it is mandatory.",
                fix_zh=f"每条记录都须填写 {f.name}（必填项）。"))
    for f in feed.fields:
        specs.extend(element_specs(feed, f))
    specs.extend(crosscheck_specs(feed))
    specs.extend(row_count_specs(feed, date, h))
    specs.extend(quarantine_specs(feed, date, h))
    specs.extend(timeliness_specs(feed, date))
    return specs


# --------------------------------------------------------------------------- library level

def library_suites(manifest: dict) -> dict[str, list[ExpectationSpec]]:
    """Suites per model relation (``schema.alias``) from dbt's manifest: generic ``unique``/
    ``not_null`` tests become blocking expectations; ``meta.quality.reconcile_with`` (an
    upstream relation) plus ``tolerance`` becomes a count reconciliation (warning)."""
    nodes = manifest.get("nodes", {})
    rel_of = {uid: f"{n['schema']}.{n.get('alias') or n['name']}" for uid, n in nodes.items()
              if n.get("resource_type") == "model"}
    out: dict[str, list[ExpectationSpec]] = {rel: [] for rel in rel_of.values()}
    for n in nodes.values():
        if n.get("resource_type") != "test":
            continue
        meta = n.get("test_metadata") or {}
        kind, col = meta.get("name"), (meta.get("kwargs") or {}).get("column_name")
        model = next((d for d in (n.get("depends_on") or {}).get("nodes", []) if d in rel_of), None)
        if model is None or not col or kind not in ("unique", "not_null"):
            continue
        rel = rel_of[model]
        if kind == "unique":
            spec = ExpectationSpec("ExpectColumnValuesToBeUnique", {"column": col}, "blocking", "accuracy",
                                   f"{col} is unique in {rel}", f"{rel} 中 {col} 唯一",
                                   f"dbt test {n['unique_id']}", key=f"unique:{col}")
        else:
            spec = ExpectationSpec("ExpectColumnValuesToNotBeNull", {"column": col}, "blocking", "completeness",
                                   f"{col} is never null in {rel}", f"{rel} 中 {col} 不为空",
                                   f"dbt test {n['unique_id']}", key=f"not_null:{col}")
        out[rel].append(spec)
    for uid, rel in rel_of.items():
        q = ((nodes[uid].get("config") or {}).get("meta") or {}).get("quality") or nodes[uid].get("meta", {}).get(
            "quality") or {}
        upstream = q.get("reconcile_with")
        if upstream:
            tol = float(q.get("tolerance", 0.0))
            out[rel].append(ExpectationSpec(
                UNEXPECTED_ROWS, {"unexpected_rows_query": sqlt.render_check(
                    "reconcile_counts.sql", upstream=upstream, tolerance=f"{tol:.6f}")},
                "warning", "consistency", f"row count of {rel} reconciles with {upstream} (±{tol:.0%})",
                f"{rel} 行数与 {upstream} 对账一致（±{tol:.0%}）", f"dbt model {uid}: meta.quality.reconcile_with",
                key=f"reconcile:{upstream}"))
    return {rel: specs for rel, specs in out.items() if specs}


def registry_suites(date: str, *, h: Home) -> dict[str, list[ExpectationSpec]]:
    """Every feed's department → raw suite for ``date`` (for counts, docs and benchmarks)."""
    from ingest import registry

    return {fid: feed_suite(feed, date, h=h) for fid, feed in registry.load().items()}


def suite_stats(date: str, *, h: Home) -> dict[str, int]:
    suites = registry_suites(date, h=h)
    specs = [s for ss in suites.values() for s in ss]
    return {"suites": len(suites), "expectations": len(specs),
            "blocking": sum(s.severity == "blocking" for s in specs),
            "warning": sum(s.severity == "warning" for s in specs)}
