"""Masking by pii class: the catalog policy picks the rule, and Python values are masked exactly as
publishing masks tables (catalogs/sql/masking.sql, installed by catalogs.publish)."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogs import publish
from catalogs.sources import load_policy
from egress import masking

SAMPLES = {
    "id_number": ["510603199001011234", "51060319900101123X", "510603 1990", "12345", "", "５１０６０３１９９００１"],
    "name": ["张三", "欧阳娜娜", "张", "", "Zhang San", "王\u3000"],
    "phone": ["13812345678", "0838-2345678", "123456", "+86 138 1234 5678", ""],
    "address": ["旌阳区泰山北路188号", "德阳市天元街道", "某村3组", "abc", "", "四川省德阳市中江县凯江镇星光东路2号"],
    "birth_date": ["1990-01-01", "1990-13-45", "1990", "20000101", "", "2000-02-29"],
    "location": ["104.397894", "31.12", "abc", "-0.005", "", "1e3"],
}


@pytest.fixture(scope="module")
def sql():
    conn = duckdb.connect()
    publish.install_masking(conn)
    yield lambda macro, v: conn.execute(f"select {macro}(?::varchar)", [v]).fetchone()[0]
    conn.close()


def test_the_policy_chooses_the_rule_of_each_pii_class():
    assert masking.rules() == load_policy()["masking"]
    assert set(SAMPLES) == set(masking.rules())


@pytest.mark.parametrize("pii", sorted(SAMPLES))
def test_python_and_sql_masking_agree_per_pii_class(sql, pii):
    macro = masking.rules()[pii]
    for v in SAMPLES[pii]:
        expected = sql(macro, v)
        assert masking.mask_value(v, pii) == (expected if expected is not None else masking.WITHHELD), (pii, v)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pii=st.sampled_from(sorted(SAMPLES)), values=st.lists(st.text(max_size=24), max_size=5))
def test_python_and_sql_masking_agree_on_any_text(sql, pii, values):
    macro = masking.rules()[pii]
    expected = [sql(macro, v) for v in values]
    assert masking.mask_values(values, pii) == [e if e is not None else masking.WITHHELD for e in expected]


def test_examples_of_the_rules():
    assert masking.mask_value("510603199001011234", "id_number") == "510603********1234"
    assert masking.mask_value("张三", "name") == "张*"
    assert masking.mask_value("欧阳娜娜", "name") == "欧***"
    assert masking.mask_value("13812345678", "phone") == "138****5678"
    assert masking.mask_value("旌阳区泰山北路188号", "address") == "旌阳区泰山北路***"
    assert masking.mask_value("01", "none") == "01" and masking.mask_value("01", None) == "01"
    assert masking.mask_value(None, "name") is None


def test_a_class_without_a_rule_is_withheld_and_an_unparseable_value_never_shown():
    assert "health" not in masking.rules()
    assert masking.mask_value("HIV+", "health") == masking.WITHHELD
    assert masking.mask_value("1990-13-45", "birth_date") == masking.WITHHELD


def test_a_policy_rule_that_is_not_a_masking_macro_is_refused(tmp_path):
    bad = tmp_path / "policy.yml"
    bad.write_text("masking:\n  name: \"upper(x)); drop table y; --\"\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cat_mask_"):
        masking.rules(bad)
