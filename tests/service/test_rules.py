"""The service's decisions, one by one, without the server."""

from __future__ import annotations

import pytest

from service import cursor, grants, records
from service import log as exchange_log
from service.lake import Entry, Item, resource_code
from service.problems import Problem
from service.settings import duckdb_threads, token_ttl
from service.verify import Source, decide, norm

KEY = b"k" * 32


def _item(name, share="unconditional", pii="none", mask=None):
    """A catalog item; its mask as the catalog gives it: the pii class's rule (catalogs.generate)."""
    from egress.masking import rules

    mask = mask if mask is not None or pii == "none" else rules().get(pii, "drop")
    return Item(name, name, name, "string", pii, share, "", mask)


def _entry(share="unconditional", items=()):
    return Entry("102001001/000001", "base.t", "base", "t", "表", "T", "samr", "市场监管", share, "理由", "daily", 1,
                 tuple(items))


def test_resource_code_in_paths():
    assert resource_code("101001001-000001") == "101001001/000001"
    for bad in ("101001001/000001", "../etc", "1;drop", "abc-def", "-000001", "１０１-000001"):
        with pytest.raises(Problem) as e:
            resource_code(bad)
        assert e.value.status == 404


def test_access_follows_the_catalog_share_type():
    items = [_item("a"), _item("b", share="conditional"), _item("c", mask="drop"), _item("d", share="not_shared")]
    a = grants.access(_entry(items=items))
    assert a.state == "readable" and list(a.columns) == ["a"]
    assert grants.access(_entry("conditional", items)).state == "application_required"
    ns = grants.access(_entry("not_shared", items))
    assert ns.state == "not_shared" and "不予共享" in ns.reason and "理由" in ns.reason
    with pytest.raises(Problem) as e:
        grants.readable(_entry("conditional", items))
    assert e.value.status == 403 and "application" in e.value.detail


def test_columns_unknown_400_not_granted_403():
    e = _entry(items=[_item("a"), _item("b", share="conditional")])
    a = grants.access(e)
    assert grants.columns(a, e, None) == ["a"]
    assert grants.columns(a, e, ["a", "a"]) == ["a"]
    with pytest.raises(Problem) as x:
        grants.columns(a, e, ["zzz"])
    assert x.value.status == 400
    with pytest.raises(Problem) as x:
        grants.columns(a, e, ["b"])
    assert x.value.status == 403


def test_filter_language():
    assert records.parse_filter("c", "in.1,2,3") == records.Filter("c", "in", ("1", "2", "3"))
    assert records.parse_filter("c", "prefix.51'06") == records.Filter("c", "prefix", ("51'06",))
    for bad in ("1", "like.%", "eq", "or.1=1", ";drop.1", "eq.51\x00", "in.1,\x00"):
        with pytest.raises(Problem) as x:
            records.parse_filter("c", bad)
        assert x.value.status == 400
    with pytest.raises(Problem):
        records.parse_filter("c", "in." + ",".join(["1"] * (records.MAX_IN + 1)))


def test_filters_on_personal_columns_are_refused():
    e = _entry(items=[_item("a"), _item("phone", pii="phone"), _item("note", mask="cat_scrub_text")])
    a = grants.access(e)
    records.check_filters(a, e, [records.Filter("a", "eq", ("1",))])
    for column in ("phone", "note"):                 # masked, or free text scrubbed
        with pytest.raises(Problem) as x:
            records.check_filters(a, e, [records.Filter(column, "eq", ("13800000001",))])
        assert x.value.status == 403 and "verify" in x.value.detail


def test_a_column_leaves_through_its_catalog_rule_unless_granted_in_clear():
    from datetime import date

    from service.applications import Grant

    e = _entry("conditional", [_item("a"), _item("id", share="conditional", pii="id_number"),
                               _item("who", share="conditional", pii="name"), _item("note", mask="cat_scrub_text")])
    plain = grants.access(e, Grant("SQ1", ("id", "who"), (), date(2026, 12, 31)), date(2026, 12, 1))
    clear = grants.access(e, Grant("SQ2", ("id", "who"), (), date(2026, 12, 31), unmasked=("id",)), date(2026, 12, 1))
    assert [grants.leaving_rule(plain, c) for c in ("a", "id", "who", "note")] == [
        None, "cat_mask_id_number", "cat_mask_name", "cat_scrub_text"]
    assert [grants.leaving_rule(clear, c) for c in ("a", "id", "who", "note")] == [
        None, None, "cat_mask_name", "cat_scrub_text"]


@pytest.mark.parametrize("raw", ["0", "-1", "1001", "1000000000", "1e3", "abc", "10 or 1=1", ""])
def test_limit_refused(raw):
    with pytest.raises(Problem) as x:
        records.limit(raw)
    assert x.value.status == 400


def test_limit_accepted():
    assert records.limit(None) == records.DEFAULT_LIMIT and records.limit("1000") == 1000


def test_cursor_signed_and_scoped():
    c = cursor.encode(KEY, "scope-a", 7, 41)
    assert cursor.decode(KEY, c, "scope-a") == (7, 41)
    body, sig = c.split(".")
    forged = cursor._b64(cursor._unb64(body).replace(b'"k":41', b'"k":-9'))
    for bad in (f"{forged}.{sig}", c[:-2] + ("AA" if not c.endswith("AA") else "BB"), "x", "", f"{body}."):
        with pytest.raises(Problem) as x:
            cursor.decode(KEY, bad, "scope-a")
        assert x.value.status == 400
    with pytest.raises(Problem):
        cursor.decode(KEY, c, "scope-b")
    with pytest.raises(Problem):
        cursor.decode(b"o" * 32, c, "scope-a")


def test_verify_decision():
    src = Source("base", "legal_entity", "uscc", "uscc", {"name": "entity_name"},
                 {"column": "registration_status", "value": "active"})
    q = {"uscc": "X", "name": "德阳企业"}
    assert decide(src, q, [("德阳企业", "active")]) == []
    assert decide(src, q, [("别的企业", "active")]) == ["name"]
    assert decide(src, q, [("德阳企业", "revoked")]) == ["registration_status"]
    assert decide(src, q, []) == ["uscc"]
    assert decide(src, q, [("德阳企业", "active")] * 2) == ["uscc"]
    assert norm(" ５１０６０３x ") == "510603X"


def test_token_lifetime_15_to_60_minutes():
    assert token_ttl(None) == 900 and token_ttl("3600") == 3600
    for bad in ("899", "3601", "0"):
        with pytest.raises(ValueError):
            token_ttl(bad)


def test_duckdb_threads_of_a_worker():
    assert duckdb_threads(None) == 1 and duckdb_threads("2") == 2
    for bad in ("0", "-1", "two", "1.5"):
        with pytest.raises(ValueError):
            duckdb_threads(bad)


def test_log_hash_chains_rows():
    r1 = {"at": "t", "method": "GET", "path": "/v1/health", "status": 200, "latency_ms": 1.0}
    h1 = exchange_log.row_hash(exchange_log.GENESIS, r1)
    assert exchange_log.row_hash(exchange_log.GENESIS, {**r1, "status": 201}) != h1
    assert exchange_log.row_hash(h1, r1) != h1


def test_problems_are_one_line():
    p = Problem(400, "two\nlines\r\n here")
    assert p.detail == "two lines here"


def test_working_day_clock():
    from datetime import date

    from service.applications import working_days_after, working_days_between

    fri = date(2026, 11, 27)
    assert working_days_after(fri, 1) == date(2026, 11, 30)          # the weekend does not count
    assert working_days_after(fri, 5) == date(2026, 12, 4)
    assert working_days_between(fri, date(2026, 11, 30)) == 1
    assert working_days_between(fri, fri) == 0


def test_the_reply_clock_skips_the_2026_national_day_week_and_counts_its_make_up_days():
    """国庆节 2026: 10-01 (Thu) … 10-07 off; Sunday 09-20 and Saturday 10-10 are make-up working days (调休)."""
    from datetime import date

    from service.applications import working_days_after, working_days_between
    from service.workdays import is_working_day

    assert [is_working_day(date(2026, 10, d)) for d in range(1, 11)] == [False] * 7 + [True, True, True]
    assert is_working_day(date(2026, 9, 20)) and not is_working_day(date(2026, 9, 19))
    assert not is_working_day(date(2026, 9, 25))                      # 中秋节 (Friday)
    # filed on Tuesday 09-29: 09-30, then 10-08, 10-09, 10-10 (Saturday, 调休), 10-12
    assert working_days_after(date(2026, 9, 29), 5) == date(2026, 10, 12)
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 11)) == 4
    assert working_days_after(date(2026, 9, 18), 1) == date(2026, 9, 20)   # Friday → the Sunday make-up day


def test_a_year_without_a_holiday_calendar_is_refused_not_guessed():
    from datetime import date

    from service.applications import reply_clock
    from service.workdays import NoCalendar, covered_years, working_days_after

    last = covered_years()[1]
    with pytest.raises(NoCalendar, match=f"no holiday calendar for {last + 1}: chinese-calendar .* upgrade it"):
        working_days_after(date(last, 12, 31), 1)
    clock = reply_clock({"applied_on": f"{last}-12-30", "decided_on": None, "status": "pending"},
                        date(last, 12, 30), 5)
    assert clock["reply_due"] is None and clock["overdue"] is None
    assert clock["clock_note"].startswith(f"no holiday calendar for {last + 1}")


def test_a_grant_opens_its_columns_with_its_row_filter_until_it_expires():
    from datetime import date

    from service.applications import Grant

    e = _entry("conditional", [_item("a"), _item("b", share="conditional", pii="name"), _item("c", mask="drop"),
                               _item("d", share="not_shared")])
    f = records.Filter("a", "eq", ("1",))
    g = Grant("SQ1", ("b", "c", "d"), (f,), date(2026, 12, 31))
    a = grants.access(e, g, date(2026, 12, 31))
    assert a.state == "readable" and list(a.columns) == ["a", "b"] and a.row_filter == (f,)
    assert grants.access(e, g, date(2027, 1, 1)).state == "expired"
    later = Grant("SQ2", ("b",), (), date(2027, 6, 30), valid_from=date(2027, 1, 1))   # the files' dates rule
    assert "valid only from 2027-01-01" in grants.access(e, later, date(2026, 12, 31)).reason
    assert grants.access(_entry("not_shared", e.items), g, date(2026, 12, 1)).state == "not_shared"


def test_json_has_no_nan():
    import json

    assert [records.json_value(v) for v in (float("nan"), float("inf"), 1.5, "x", None)] == [None, None, 1.5, "x", None]
    json.dumps([records.json_value(float("nan"))], allow_nan=False)


def test_a_token_is_verified_once_and_its_expiry_on_every_call(monkeypatch):
    import time

    from service import tokens

    v = tokens.Verified(KEY)
    tok, jti = tokens.issue(KEY, "app_x", "civil", 1, 60)
    assert v.decode(tok)["jti"] == jti
    monkeypatch.setattr(tokens.jwt, "decode", lambda *a, **k: pytest.fail("checked again"))
    assert v.decode(tok)["jti"] == jti                                  # kept: not decoded again
    real = time.time
    monkeypatch.setattr(tokens.time, "time", lambda: real() + 61)
    with pytest.raises(Problem) as x:
        v.decode(tok)
    assert x.value.status == 401 and "expired" in x.value.detail
    monkeypatch.undo()
    forged = tok[:-4] + ("AAAA" if not tok.endswith("AAAA") else "BBBB")
    with pytest.raises(Problem) as x:
        v.decode(forged)
    assert x.value.status == 401 and "not valid" in x.value.detail
