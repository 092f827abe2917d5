"""The department report leaves the zone through the exit: personal data fed into every quarantine
reason ingest can produce and into every report section never survives, and a page that would
leak is refused before it lands under reports/.

The deliveries are real files landed by ingest (a GBK CSV and a JSON Lines feed), gated, scored
and reported; the test then scans the pages with its own regexes (18-character ID numbers, mobile
numbers) and looks for the names and addresses it fed in.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import qfixtures as qf
from qfixtures import NIGHT, break_check_digit

ID_RE = re.compile(r"\d{17}[\dXx]")
ID_HEAD_RE = re.compile(r"\d{6}(19|20)\d{2}[01]\d[0-3]\d")   # division + birth date: an ID cut short
MOBILE_RE = re.compile(r"1[3-9]\d{9}")
NAMES = ["欧阳建国", "司马翠花", "诸葛小明", "上官婉儿", "慕容复", "东方红梅"]
ADDRESSES = [f"旌阳区泰山北路{188 + i}号{i + 1}栋{i + 2}单元" for i in range(6)]
PHONES = [f"1390838{i:04d}" for i in range(6)]


def _reader_codes() -> set[str]:
    """Reason codes the readers set literally (reason_code=pl.lit("...")), besides the row checks'."""
    src = "\n".join(p.read_text(encoding="utf-8") for p in Path("ingest").rglob("*.py"))
    return set(re.findall(r"""reason_code\s*=\s*pl\.lit\(["'](\w+)["']\)""", src))


def all_reason_codes() -> set[str]:
    from ingest.checks import REASON_CODES

    return set(REASON_CODES) | _reader_codes()


def _person(i: int) -> dict:
    row = dict(qf.household_rows(1)[0])
    row.update(id_number=qf.ric("510603", f"198505{10 + i}", 500 + i), person_name=NAMES[i],
               domicile_address=ADDRESSES[i], phone=PHONES[i])
    return row


def _household_csv(feed) -> bytes:  # noqa: ANN001
    rows = qf.household_rows(20)
    bad = [_person(i) for i in range(6)]
    bad[0]["birth_date"] = ""                                        # missing_required
    bad[0]["ethnic_code"] = "01\u3000"                               # invisible offending character
    bad[1]["birth_date"] = "1990-13-45"                              # wrong_type
    bad[2]["id_number"] = break_check_digit(bad[2]["id_number"])     # invalid_check_digit
    bad[4]["id_number"] = bad[3]["id_number"]                        # duplicate_key
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([f.source for f in feed.fields])
    for r in rows + bad[:5]:
        w.writerow([r[f.name] for f in feed.fields])
    w.writerow([bad[5][f.name] for f in feed.fields] + [f"备注 {NAMES[5]}"])   # malformed_line (13 fields)
    return out.getvalue().encode("gbk")


def _births_jsonl() -> bytes:
    lines = [json.dumps({"birth_cert_no": f"Q510600{i:05d}", "child_id_number": qf.ric("510603", "20261101", 100 + i),
                         "child_name": f"王{i}", "sex": "1", "birth_date": "2026-11-01",
                         "mother_id_number": qf.ric("510603", "19950101", 200 + i), "hospital": "德阳市人民医院",
                         "township": "510603001"}, ensure_ascii=False) for i in range(5)]
    broken = (f'{{"birth_cert_no": "Q51060099999", "child_name": "{NAMES[4]}", "mother_id_number": '
              f'"{qf.ric("510603", "19950101", 299)}", "phone": "{PHONES[4]}", "addr": "{ADDRESSES[4]}", "sex": "1\u200b",')
    return ("\n".join([*lines, broken]) + "\n").encode("utf-8")


def _insurance_sqlite(path: Path) -> None:
    """hrss_insurance as a database table: clean rows of the night, and one person's row whose
    update timestamp lies in the future (future_watermark)."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("create table insurance_enrolment (enrolment_id text, id_number text, name text, insurance_type text,"
                " status text, start_date text, employer_uscc text, updated_at text)")
    rows = [(f"E{i:04d}", qf.ric("510603", "19800101", 300 + i), f"张{i}", "pension", "active", "2020-01-01", None,
             f"{NIGHT} 08:00:00") for i in range(5)]
    rows.append(("E9999", qf.ric("510603", "19850510", 600), NAMES[3], "pension", "active", "2020-01-01", None,
                 "2062-11-01 09:00:00"))
    con.executemany("insert into insurance_enrolment values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()


@pytest.fixture(scope="module")
def dirty_night(tmp_path_factory):
    """psb and health deliveries holding personal data in every quarantine reason, landed, gated, scored."""
    from citylake.core.paths import Home
    from ingest import registry
    from ingest.land import land_feed
    from quality import gates
    from quality.scores import compute_scores

    h = Home(tmp_path_factory.mktemp("egress_home")).ensure()
    household, births = registry.feed("psb_household"), registry.feed("health_births")
    for feed, data in ((household, _household_csv(household)), (births, _births_jsonl())):
        path = feed.inbox_path(h.inbox, NIGHT)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        res = land_feed(feed, NIGHT, h.inbox, h.raw, h.quarantine)
        assert res.status == "landed", res.message
        gates.gate_feed(feed.id, NIGHT, h=h)
    insurance = registry.feed("hrss_insurance")
    _insurance_sqlite(insurance.inbox_path(h.inbox, NIGHT))
    res = land_feed(insurance, NIGHT, h.inbox, h.raw, h.quarantine)
    assert res.status == "landed" and res.rows_quarantined == 1, res.message
    gates.record_gates([_library_gate_with_personal_samples()], h=h)
    compute_scores(NIGHT, h=h)
    return h


def _library_gate_with_personal_samples():
    """A failing library-level gate of psb whose recorded samples and error text hold personal data
    unmasked (a library rule carries no pii class): the report must mask them by the column's element."""
    from quality import gates

    def failing(column: str, sample: list, error: str | None = None):  # noqa: ANN202
        spec = gates.ExpectationSpec(type="ExpectColumnValuesToBeUnique", kwargs={"column": column},
                                     severity="blocking", dimension="accuracy", description_en=f"{column} is unique",
                                     description_zh=f"{column} 唯一", source="dbt test", fix_en="Deduplicate.",
                                     fix_zh="去除重复的记录。")
        return gates.ExpectationResult(spec=spec, success=False, unexpected_count=len(sample), element_count=9,
                                       unexpected_percent=10.0, sample=sample, error=error)

    ids = [qf.ric("510603", "19850510", 500 + i) for i in range(3)]
    results = [failing("person_name", NAMES[:3]), failing("phone", PHONES[:3]),
               failing("domicile_address", ADDRESSES[:3]),
               failing("id_number", ids, error="x" * 140 + f" id {ids[0]} of {NAMES[0]} at {ADDRESSES[0]}")]
    return gates.GateResult(dataset="base.population", relation="lake.base.population", handover="staging_to_base",
                            run_date=NIGHT, run_id="egress-test-run", suite="base.population", department="psb",
                            results=results, row_count=9, started_at=f"{NIGHT}T23:00:00", seconds=0.1,
                            gx_seconds=0.1)


def _codes_quarantined(h) -> set[str]:  # noqa: ANN001
    import duckdb

    glob = str(h.quarantine / "*" / "*" / f"dt={NIGHT}" / "quarantine.parquet")
    return {r[0] for r in duckdb.sql(f"select distinct reason_code from read_parquet('{glob}')").fetchall()}


def _leaks(text: str) -> list[str]:
    from ingest import registry

    page = html.unescape(text)
    for d in registry.departments().values():   # organisation codes are public, and 18 characters long
        page = page.replace(d.code, "")
    return (ID_RE.findall(page) + [m.group() for m in ID_HEAD_RE.finditer(page)] + MOBILE_RE.findall(page)
            + [n for n in NAMES if n in page] + [a for a in ADDRESSES if a in page] + [p for p in PHONES if p in page])


def test_no_personal_data_survives_any_quarantine_reason_or_section(dirty_night):
    from quality import report

    assert _codes_quarantined(dirty_night) == all_reason_codes(), "feed every reason code ingest can produce"
    pages = [report.write_department_report(d, NIGHT, h=dirty_night) for d in ("psb", "health", "hrss")]
    pages.append(report.write_index(NIGHT, h=dirty_night))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _leaks(text) == [], page.name
    psb = pages[0].read_text(encoding="utf-8")
    for section in ("verdict", "scores", "trend", "feeds", "failures", "quarantine", "fix"):
        assert f'id="{section}"' in psb
    everything = "".join(p.read_text(encoding="utf-8") for p in pages[:3])
    for code in all_reason_codes():
        assert code in everything, code
    assert "malformed_line" in pages[1].read_text(encoding="utf-8")  # the JSON Lines reader's too
    assert "future_watermark" in pages[2].read_text(encoding="utf-8")  # the database reader's
    # masked, not dropped: the department still sees which row it was
    assert re.search(r"510603\*{8}\d{3}[\dX]", psb) and "欧***" in psb and "旌阳区泰山北路***" in psb
    assert "Department code: 11510600008717002X" in psb
    assert psb.count("base.population") >= 4 and "check could not run: xxx" in psb  # the library gate's rows


def test_quarantine_reasons_are_bilingual_and_chinese_fix_lines_are_chinese(dirty_night):
    from quality import report

    psb = report.write_department_report("psb", NIGHT, h=dirty_night).read_text(encoding="utf-8")
    pages = psb + report.write_department_report("hrss", NIGHT, h=dirty_night).read_text(encoding="utf-8")
    for code in all_reason_codes():
        zh, en, fix_zh = report.QUARANTINE_REASONS[code]
        assert re.search(r"[\u4e00-\u9fff]", zh + fix_zh) and en.isascii(), code
    for code in all_reason_codes():
        zh, en, _ = report.QUARANTINE_REASONS[code]
        assert html.escape(zh) in pages and html.escape(en) in pages, code
    fix = psb[psb.index('id="fix"'):]
    for li in re.findall(r"<li>(.*?)</li>", fix, re.S):
        chinese = re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", li.split('<span class="muted">')[0]))
        assert not re.search(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}", chinese), chinese


def test_invisible_characters_are_shown_in_samples(dirty_night):
    from quality import report

    psb = report.write_department_report("psb", NIGHT, h=dirty_night).read_text(encoding="utf-8")
    assert "ethnic_code=01⎵" in psb
    assert "\u3000" not in psb[psb.index('id="quarantine"'):psb.index('id="fix"')]
    health = report.write_department_report("health", NIGHT, h=dirty_night).read_text(encoding="utf-8")
    assert '"sex": "1⟨U+200B⟩"' in html.unescape(health) and "\u200b" not in health


def test_a_report_that_would_leak_is_refused_and_nothing_lands(dirty_night, monkeypatch):
    """The leak check is the last line: with the masking broken, the page never reaches reports/."""
    from egress import LeakError
    from quality import report

    out = dirty_night.reports / NIGHT / "psb.html"
    out.unlink(missing_ok=True)
    for name in ("mask_value", "scrub_text", "scrub_raw_line"):
        monkeypatch.setattr(report, name, lambda v, *a, **k: v)
    with pytest.raises(LeakError) as err:
        report.write_department_report("psb", NIGHT, h=dirty_night)
    assert not out.exists()
    assert {f.check for f in err.value.findings} >= {"id_number", "mobile"}


def _consumers_of_psb(h):  # noqa: ANN001, ANN202
    """A real metadata database beside the home with what the data service records about psb's data: an
    objection naming a person by ID number and claiming a name, calls whose purpose header holds a mobile
    and whose operator is a person — filled by the service's own functions, read by catalogs.feedback."""
    from catalogs import feedback, grants
    from service import apps, log, objections
    from service.metadb import open_engine

    engine = open_engine(grants.db_url(h))
    app, _ = apps.add(engine, "civil", "低保核对系统", {"civil"})
    ids = [qf.ric("510603", "19850510", 500 + i) for i in range(3)]
    body = objections.ObjectionIn(record_key={"id_number": ids[0]}, field="person_name", claimed_value=NAMES[1],
                                  evidence=f"户口簿 {NAMES[1]} {PHONES[1]} {ADDRESSES[1]}")
    filed = objections.file(engine, app.client_id, "civil", "101001001/000001", "psb", body, snapshot=1)
    for status, rows, purpose in ((200, 100, "低保资格核对"), (200, 40, f"核对 {PHONES[2]} {ids[1]}"), (403, None, "低保资格核对")):
        log.append(engine, {"at": f"{NIGHT}T10:00:00+00:00", "client_id": app.client_id, "department": "civil",
                            "operator": NAMES[2], "purpose": purpose, "method": "GET", "status": status, "rows": rows,
                            "path": "/v1/datasets/101001001-000001/records", "dataset": "101001001/000001",
                            "latency_ms": 3.0})
    entries = {"101001001/000001": feedback.Provided("101001001/000001", "base.population", "人口基础信息", "psb")}
    since, until = feedback.window(NIGHT)
    fb = {"since": since, "until": until, "usage": feedback.usage(engine, entries, "psb", since, until),
          "objections": feedback.objections(engine, entries, "psb", since, until)}
    engine.dispose()
    return fb, filed, ids


def test_objections_and_usage_sections_show_no_personal_value(dirty_night):
    from quality import report

    fb, filed, ids = _consumers_of_psb(dirty_night)
    [u] = fb["usage"]
    assert (u["department"], u["calls"], u["refused"], u["rows"]) == ("civil", 3, 1, 140)
    assert fb["objections"][0]["record_key"] == {"id_number": ids[0]}      # raw inside the zone
    psb = report.write_department_report("psb", NIGHT, h=dirty_night, feedback=fb).read_text(encoding="utf-8")
    assert _leaks(psb) == []
    objs, usage = psb[psb.index('id="objections"'):psb.index('id="usage"')], psb[psb.index('id="usage"'):]
    assert filed["objection_id"] in objs and "待处理 open" in objs and "person_name" in objs
    assert re.search(r"id_number=510603\*{8}\d{3}[\dX]", objs) and "司***" in objs     # masked, not dropped
    assert "户口簿" not in psb                                                         # free-text evidence stays in
    assert "低保核对系统" in usage and "低保资格核对 (2)" in usage and ">140<" in usage and ">3<" in usage
    assert "Who used your data" in usage and "谁使用了本部门数据" in usage


def test_without_the_services_records_the_sections_say_so(dirty_night):
    from quality import report

    psb = report.write_department_report("psb", NIGHT, h=dirty_night).read_text(encoding="utf-8")
    for section in ("objections", "usage"):
        assert f'id="{section}"' in psb
    assert psb.count("The data service's records were not read for this report.") == 2
