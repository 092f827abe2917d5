"""Small fixtures for the quality tests, built by code (no binary files in git).

`household_rows(n)` gives valid psb_household rows (as delivered: all text); the tests then
break one rule at a time. `land(h, feed, date, rows)` writes them the way ingest lands a
delivery: raw/<dept>/<feed>/dt=D/part-0.parquet (+ bookkeeping columns) and _manifest.json.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

NIGHT = "2026-11-24"
HISTORY = ("2026-11-21", "2026-11-22", "2026-11-23")


def _home(tmp_path_factory, name: str):  # noqa: ANN202
    from citylake.core.paths import Home

    return Home(tmp_path_factory.mktemp(name)).ensure()


def _history(h, feed, rows_per_night: int) -> None:  # noqa: ANN001
    for dt in HISTORY:
        d = feed.raw_dir(h.raw, dt)
        d.mkdir(parents=True, exist_ok=True)
        (d / "_manifest.json").write_text(json.dumps({"feed_id": feed.id, "dt": dt, "rows_landed": rows_per_night}))


def break_check_digit(ric: str) -> str:
    return ric[:-1] + ("0" if ric[-1] != "0" else "1")



WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(division: str, birth: str, seq: int) -> str:
    """A valid GB 11643 ID number (birth YYYYMMDD, seq odd = male)."""
    body = f"{division}{birth}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def household_rows(n: int = 30) -> list[dict]:
    rows = []
    for i in range(n):
        birth = f"19{60 + i % 40:02d}{1 + i % 12:02d}{1 + i % 28:02d}"
        seq = 100 + i
        rows.append({
            "id_number": ric("510603", birth, seq), "person_name": f"张{'三四五六七'[i % 5]}{i}",
            "sex_code": "1" if seq % 2 else "2", "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
            "ethnic_code": "01", "household_id": f"H{i // 3:06d}", "relation_to_head": "01",
            "township_code": "510603001", "domicile_address": f"旌阳区某某街道{i}号",
            "education_code": "20", "phone": f"1380000{i:04d}", "registered_on": "2020-01-01",
        })
    return rows


def land(h, feed, date: str, rows: list[dict], landed_at: datetime | None = None) -> Path:  # noqa: ANN001
    d = feed.raw_dir(h.raw, date)
    d.mkdir(parents=True, exist_ok=True)
    cols = {c: pa.array([r.get(c) for r in rows], pa.string()) for c in feed.columns}
    cols["_row"] = pa.array(range(2, len(rows) + 2), pa.int64())
    cols["_source_file"] = pa.array([feed.file.format(date=date.replace("-", ""))] * len(rows), pa.string())
    cols["_delivery_sha256"] = pa.array(["0" * 64] * len(rows), pa.string())
    cols["_landed_at"] = pa.array([landed_at or datetime.fromisoformat(f"{date} 22:00:00")] * len(rows),
                                  pa.timestamp("us"))
    path = d / "part-0.parquet"
    pq.write_table(pa.table(cols), path)
    (d / "_manifest.json").write_text(json.dumps({"feed_id": feed.id, "dt": date, "rows_landed": len(rows)}))
    return path


def quarantine(h, feed, date: str, items: list[tuple[int, str, str, str]],  # noqa: ANN001
               originals: list[str] | None = None) -> Path:
    """items: (row_number, field, reason_code, reason); `originals`: the refused rows as JSON (default one
    placeholder row per field)."""
    d = h.quarantine / feed.department.id / feed.id / f"dt={date}"
    d.mkdir(parents=True, exist_ok=True)
    t = pa.table({
        "feed_id": [feed.id] * len(items), "dt": [date] * len(items),
        "source_file": [feed.file] * len(items), "row_number": pa.array([i[0] for i in items], pa.int64()),
        "field": [i[1] for i in items], "reason_code": [i[2] for i in items], "reason": [i[3] for i in items],
        "original": originals or [json.dumps({i[1]: "?"}, ensure_ascii=False) for i in items]})
    path = d / "quarantine.parquet"
    pq.write_table(t, path)
    return path
