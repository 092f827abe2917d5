"""Data-level 一数一源: a hospital feed disagreeing with household registration gives findings."""

from __future__ import annotations

import duckdb
import pytest

from standards.consistency import COLUMNS, findings, findings_sql


@pytest.fixture()
def rels(conn):
    conn.execute("CREATE OR REPLACE TEMP TABLE hh (id_number VARCHAR, person_name VARCHAR, sex_code VARCHAR, "
                 "birth_date VARCHAR)")
    conn.execute("INSERT INTO hh VALUES ('11010519491231002X', '张三', '2', '1949-12-31'), "
                 "('510603199001010012', '李四', '1', '1990-01-01')")
    conn.execute("CREATE OR REPLACE TEMP TABLE visits (visit_id VARCHAR, id_number VARCHAR, person_name VARCHAR, "
                 "birth_date VARCHAR, hospital_name VARCHAR)")
    conn.execute("INSERT INTO visits VALUES "
                 "('v1', '11010519491231002x', '张三', '1949年12月31日', 'A'), "   # same person, other formats: agrees
                 "('v2', '510603199001010012', '李斯', '1990-01-02', 'B'), "        # name and birth date disagree
                 "('v3', '510603199001010012', NULL, NULL, 'C'), "                 # nothing delivered: no finding
                 "('v4', '999999199001010010', '王五', '1990-01-01', 'D')")        # unknown subject: not compared
    return conn


def test_findings(rels):
    rows = findings(rels, "hh", "visits", delivered_feed="health_hospital_visits").fetchall()
    got = sorted(rows)
    assert [tuple(r[:7]) for r in got] == [
        ("510603199001010012", "birth_date", "1990-01-01", "1990-01-02", "health", "health_hospital_visits", "birth_date"),
        ("510603199001010012", "person_name", "李四", "李斯", "health", "health_hospital_visits", "person_name"),
    ]
    assert rels.sql(findings_sql("hh", "visits", delivered_feed="health_hospital_visits")).columns == list(COLUMNS)


def test_identifiers_are_quoted_not_spliced(rels):
    """A relation name carrying SQL stays one (unknown) identifier: nothing else runs."""
    sql = findings_sql("hh; drop table visits", "visits", delivered_feed="health_hospital_visits")
    assert 'FROM "hh; drop table visits" AS a' in sql
    with pytest.raises(duckdb.CatalogException, match="hh; drop table visits"):
        rels.sql(sql)
    assert rels.sql("select count(*) from visits").fetchone()[0] > 0
    with pytest.raises(ValueError, match="identifier"):
        findings_sql("hh\x00", "visits", delivered_feed="health_hospital_visits")


def test_no_comparable_elements():
    with pytest.raises(ValueError, match="carries no element"):
        findings_sql("hh", "x", delivered_feed="bdc_readings")
