"""The standards' validators on Spark (standards/macros_spark.sql) == their DuckDB macros
(standards/macros.sql), on a corpus of tricky values: full-width digits, Chinese date shapes,
impossible dates, wrong check characters, unknown divisions, phone shapes, blanks."""

from __future__ import annotations

import duckdb
import pytest

from standards import macros_spark
from standards.macros import install_macros
from tests.dbt.fixture_raw import ric, uscc

RIC_OK = [ric("510603", "19900101", 11), ric("510681", "20001231", 2), ric("110101", "18991231", 7)]
USCC_OK = [uscc(1), uscc(42), uscc(977)]


def _mutate(s: str, pos: int) -> str:
    alphabet = "0123456789X"
    return s[:pos] + alphabet[(alphabet.index(s[pos]) + 1) % 10] + s[pos + 1:]


CORPUS = [
    None, "", "   ", "\u3000", "\t x \n", "abc", "ＡＢＣ１２３", "是", "否", "Y", "n", "TRUE", "0", "1",
    # dates and times
    "2023-10-19", "2023/10/19", "20231019", "2023.10.19", "2023年10月19日", "２０２３-１０-１９",
    "2023-1-9", "2023-10-19 08:30:15", "2023-10-19T08:30:15.123", "2023-10-19 8:30", "202310190830",
    "20231019083015", "2023年10月19日 8时30分", "2023年10月19日 08时30分15秒", "2023-02-30", "2023-13-01",
    "1899-12-31", "3023-01-01", "2023-10-19 24:00", "2023-10-19 23:59:59.999999", "19-10-2023",
    # numbers
    "1,234.50", "-12", "+3.5", "100元", "1e5", "1.", ".5", "１２３", "12 345",
    # ID numbers
    *RIC_OK, RIC_OK[0].lower(), RIC_OK[0][:-1] + "x", _mutate(RIC_OK[0], 17), _mutate(RIC_OK[0], 3),
    " " + RIC_OK[1] + " ", RIC_OK[0][:17], "999999" + RIC_OK[0][6:], RIC_OK[0][:6] + "20991231" + RIC_OK[0][14:],
    "51060319900230001X", "51060319900101001A",
    # unified social credit codes / organisation codes
    *USCC_OK, USCC_OK[0].lower(), _mutate(USCC_OK[0], 16), _mutate(USCC_OK[1], 10), "I1510600MA62X0000X",
    "01510600MA62X00000", "60003734-1", "600037341", "60003734-2",
    # code sets and phones
    "510603", "510699", "I65", "6511", "65", "99", "13812345678", "+8613812345678", "0086-13812345678",
    "12812345678", "028-12345678", "(0838)2345678", "0838-2345678-123", "0838-2345678转12", "010-8888888",
    "028 8765 4321", "0838-0345678",
]
ONE_ARG = [f for f in macros_spark.function_names()
           if f not in ("cl_in_codeset", "cl_code_name", "cl_ric_crosscheck")]


@pytest.fixture(scope="module")
def spark_fn(spark, spark_home):
    codes = macros_spark.write_codes(spark_home.root / "work" / "spark" / "codes").parent
    for statement in [*macros_spark.lookup_statements(str(codes)), *macros_spark.statements()]:
        spark.sql(statement)
    return spark


def _duck(sql: str) -> list[tuple]:
    con = duckdb.connect()
    install_macros(con)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _values_sql(rows: list[tuple]) -> str:
    def lit(v):
        return "CAST(NULL AS STRING)" if v is None else "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return ", ".join("(" + ", ".join([str(i), *(lit(v) for v in row)]) + ")" for i, row in enumerate(rows))


def _duck_values_sql(rows: list[tuple]) -> str:
    def lit(v):
        return "CAST(NULL AS VARCHAR)" if v is None else "'" + v.replace("'", "''") + "'"
    return ", ".join("(" + ", ".join([str(i), *(lit(v) for v in row)]) + ")" for i, row in enumerate(rows))


def test_the_spark_file_defines_every_public_duckdb_macro():
    con = duckdb.connect()
    install_macros(con)
    from standards.macros import macro_names
    assert sorted(macro_names(con)) == sorted(macros_spark.function_names())


@pytest.mark.slow
def test_every_function_agrees_with_its_duckdb_macro(spark_fn):
    rows = [(v,) for v in CORPUS]
    cols = ", ".join(f"{fn}(v)" for fn in ONE_ARG)
    duck = _duck(f"select i, {cols} from (values {_duck_values_sql(rows)}) as t(i, v) order by i")
    spark_cols = ", ".join(f"default.{fn}(v)" for fn in ONE_ARG)
    sp = [tuple(r) for r in spark_fn.sql(
        f"select i, {spark_cols} from values {_values_sql(rows)} as t(i, v) order by i").collect()]
    assert len(sp) == len(duck) == len(CORPUS)
    diff = [(fn, CORPUS[d[0]], d[k + 1], s[k + 1]) for d, s in zip(duck, sp, strict=True)
            for k, fn in enumerate(ONE_ARG) if d[k + 1] != s[k + 1]]
    assert diff == [], "(function, value, duckdb, spark)"
    judged = sum(1 for d in duck for x in d[1:] if x is not None)
    assert judged > len(CORPUS) * 5, "the corpus should give non-NULL results"


@pytest.mark.slow
def test_two_and_three_argument_functions_agree(spark_fn):
    rows = [("admin_divisions", "510603"), ("admin_divisions", "５１０６０３"), ("industry", "I"),
            ("industry", "65"), ("sex", "1"), ("sex", None), ("nope", "1")]
    cross = [(RIC_OK[0], "1990-01-01", "1"), (RIC_OK[0], "1990-01-02", "1"), (RIC_OK[0], "19900101", "2"),
             (RIC_OK[1], None, "2"), ("bad", "1990-01-01", "1"), (RIC_OK[1], "2000年12月31日", "９")]
    for fn, data in (("cl_in_codeset", rows), ("cl_code_name", rows), ("cl_ric_crosscheck", cross)):
        cols = ", ".join(f"c{k}" for k in range(len(data[0])))
        duck = _duck(f"select i, {fn}({cols}) from (values {_duck_values_sql(data)}) as t(i, {cols}) order by i")
        sp = spark_fn.sql(
            f"select i, default.{fn}({cols}) from values {_values_sql(data)} as t(i, {cols}) order by i").collect()
        assert [tuple(r) for r in sp] == duck, fn


def test_the_generated_dbt_macro_is_in_sync():
    assert macros_spark.DBT_MACRO.read_text(encoding="utf-8") == macros_spark.dbt_macro_text(), \
        "run `python -m standards.macros_spark`"
