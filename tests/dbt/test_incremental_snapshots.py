"""Snapshot feeds re-stage only their changed rows, and staging equals a full re-staging (issue 17).

Three nights of the tiny synthetic city are landed once; two lakes read the same raw zone. Night 1
is built once and copied (a first night is a full build either way). On nights 2 and 3 lake
`changes` builds staging with change detection (the default: a snapshot feed's rows table cleans
only the raw rows whose hash it does not hold and deletes the rows no longer delivered); lake
`full` builds it with `snapshot_change_detection: false` (every snapshot row cleaned again).
Night 3's household register is then re-delivered corrected (rows changed and withdrawn) and
night 3 runs again on both. Each night also builds the domicile history (SCD2, incremental) from
the household register (only the snapshot feeds and these models are built: nothing else
differs between the two modes). After every night every staging view and table and the history hold the
same rows in both lakes (`except all` both ways), and the household rows table really kept its
unchanged rows and saw additions and deletions. Every other model reads staging only through
these views, so equal views give equal libraries (the whole project on the tiny city:
tests/dbt/test_build.py; a real next night: tests/e2e).
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from citylake.core.paths import Home

SCALE = 0.0005
SCHEMAS = ("staging", "intermediate", "base", "theme", "indicator")
FULL_RESTAGE = ["--vars", "{snapshot_change_detection: false}"]


def _relations(h: Home) -> list[str]:
    from citylake.core import db

    con = db.connect(read_only=True, h=h)
    try:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_catalog = 'lake' and table_schema in ('staging', 'intermediate') order by 1").fetchall()
        return [r[0] for r in rows]
    finally:
        con.close()


def _export(h: Home, out) -> None:  # noqa: ANN001
    """Every staging and intermediate relation of the lake of `h`, as Parquet files under `out`
    (a view is read on its own lake: it names its inputs lake.<schema>.<name>)."""
    from citylake.core import db

    out.mkdir(parents=True, exist_ok=True)
    con = db.connect(read_only=True, h=h)
    try:
        for rel in _relations(h):
            con.execute(f"copy (select * from lake.{rel}) to '{out / rel}.parquet' (format parquet)")
    finally:
        con.close()


def _differences(a: Home, b: Home, tmp) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """{relation: (rows only in a, rows only in b)} for every relation that differs."""
    import duckdb

    assert _relations(a) == _relations(b)
    _export(a, tmp / "a")
    _export(b, tmp / "b")
    out = {}
    for rel in _relations(a):
        x, y = f"read_parquet('{tmp / 'a' / rel}.parquet')", f"read_parquet('{tmp / 'b' / rel}.parquet')"
        only_a = duckdb.sql(f"select count(*) from (select * from {x} except all select * from {y})").fetchone()[0]
        only_b = duckdb.sql(f"select count(*) from (select * from {y} except all select * from {x})").fetchone()[0]
        if only_a or only_b:
            out[rel] = (only_a, only_b)
    return out


def _row_ids(h: Home) -> set[str]:
    from citylake.core import db

    con = db.connect(read_only=True, h=h)
    try:
        return {r[0] for r in con.execute("select _row_id from lake.staging.stg_psb__household_rows").fetchall()}
    finally:
        con.close()


def _redeliver_corrected(path) -> None:  # noqa: ANN001
    """The household register re-sent: two rows withdrawn, one name corrected (GBK CSV)."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("gbk"))))
    header, body = rows[0], rows[1:]
    name = header.index("姓名")
    body[3][name] = "更正姓名"
    del body[5:7]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *body])
    path.write_bytes(text.getvalue().encode("gbk"))


def _run(h: Home, night: str, *extra: str) -> None:
    from citylake.orchestration.dbt_runner import invoke

    res = invoke(["run", *extra], run_date=night, h=h)
    assert res.success, [(r["unique_id"], r["message"]) for r in res.results if r["status"] in ("error", "fail")]


def _snapshot_feeds() -> list[str]:
    from ingest import registry

    return [f.id for f in registry.load().values() if f.delivery == "snapshot"]


def _selected() -> list[str]:
    """The snapshot feeds' rows models and views, and the SCD2 domicile history they feed."""
    from ingest import registry

    models = [f"stg_{f.department.id}__{f.id[len(f.department.id) + 1:]}_rows+1"
              for f in map(registry.feed, _snapshot_feeds())]
    return ["--select", *models, "int_persons_domicile_changes", "int_persons_domicile_historized"]


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_changed_rows_only_equals_a_full_restaging(tmp_path):
    from ingest import registry
    from ingest.land import land_all
    from synth import EPOCH, generate_city, next_date

    changes = Home(tmp_path / "changes").ensure()
    night_1 = str(EPOCH)
    night_2 = next_date(night_1)
    nights = [night_1, night_2, next_date(night_2)]
    feeds = _snapshot_feeds()
    selected = _selected()
    generate_city(changes.inbox, SCALE, night_1, feeds=feeds)
    land_all(night_1, changes, feeds=feeds)
    _run(changes, night_1, *selected)
    full = Home(tmp_path / "full").ensure()
    for part in ("raw", "lake"):
        shutil.rmtree(full.root / part, ignore_errors=True)
    (full.root / "raw").symlink_to(changes.root / "raw")  # one raw zone, two lakes
    shutil.copytree(changes.root / "lake", full.root / "lake")
    seen = [_row_ids(changes)]
    for night in nights[1:]:
        generate_city(changes.inbox, SCALE, night, feeds=feeds)
        land_all(night, changes, feeds=feeds)
        _run(changes, night, *selected)
        _run(full, night, *selected, *FULL_RESTAGE)
        assert _differences(changes, full, tmp_path / night) == {}, f"night {night}"
        seen.append(_row_ids(changes))
    for before, after in zip(seen, seen[1:], strict=False):
        assert before - after, "a later night deleted or changed household rows"
        assert after - before, "a later night added or changed household rows"
        assert len(before & after) > 0.95 * len(before), "most rows are unchanged: they are not re-staged"

    household = registry.feed("psb_household").inbox_path(changes.inbox, nights[-1])
    _redeliver_corrected(household)
    land_all(nights[-1], changes, feeds=["psb_household"])
    _run(changes, nights[-1], *selected)
    _run(full, nights[-1], *selected, *FULL_RESTAGE)
    assert _differences(changes, full, tmp_path / "redelivered") == {}, "after the re-delivery"
    assert len(seen[-1] - _row_ids(changes)) == 3, "the re-delivery withdrew two rows and changed one"
