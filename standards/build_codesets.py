"""Build the generated code sets (`python -m standards.build_codesets`).

Two code sets are derived from reference data rather than typed in:

* ``admin_divisions.csv`` — GB/T 2260 administrative divisions (行政区划代码) from the
  National Bureau of Statistics' 2023 list in ``SHARED_REFERENCE/admin_divisions/``:
  all provinces, prefectures and the 2,978 county-level divisions, plus the
  townships/streets (乡镇街道) of Deyang (5106) only.
* ``ric_divisions.csv`` — every division code a resident ID number (GB 11643) may
  carry: the historical county table shipped by python-stdnum (``stdnum/cn/loc.dat``,
  codes with the years they were in use) united with the 2023 list. People keep
  their number for life, so a code abolished since (e.g. Zhoukou's 4127xx before
  2000) stays valid in ID numbers.

Both outputs are committed; rerun this script when the reference data changes.
"""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

from citylake.core.paths import SHARED_REFERENCE

CODESETS_DIR = Path(__file__).with_name("codesets")
DEYANG = "5106"
LEVELS = ("province", "prefecture", "county", "township")
_LOC_LINE = re.compile(r'^(?P<indent>\s*)(?P<code>\d+) (?P<key>\w+)="(?P<value>[^"]*)"')
_PERIOD = re.compile(r"^\[(?P<start>\d*)-(?P<end>\d*)\](?P<name>.*)$")


def _read(name: str) -> list[dict[str, str]]:
    with (SHARED_REFERENCE / "admin_divisions" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def admin_division_rows() -> list[dict[str, str]]:
    """GB/T 2260 rows: code (6 digits, townships 9), name_zh, level, parent_code."""
    rows: list[dict[str, str]] = []
    for r in _read("provinces.csv"):
        rows.append({"code": r["code"] + "0000", "name_zh": r["name"], "level": "province", "parent_code": ""})
    for r in _read("cities.csv"):
        rows.append({"code": r["code"] + "00", "name_zh": r["name"], "level": "prefecture",
                     "parent_code": r["provinceCode"] + "0000"})
    for r in _read("areas.csv"):
        if r["code"] == r["cityCode"] + "00":
            # prefecture-level cities without counties (东莞, 中山, 儋州) appear in both lists under the
            # same code: keep one row, as a county (县级) directly under its province.
            rows = [x for x in rows if x["code"] != r["code"]]
            parent = r["provinceCode"] + "0000"
        else:
            parent = r["cityCode"] + "00"
        rows.append({"code": r["code"], "name_zh": r["name"], "level": "county", "parent_code": parent})
    for r in _read("streets.csv"):
        if r["cityCode"] == DEYANG:
            rows.append({"code": r["code"], "name_zh": r["name"], "level": "township",
                         "parent_code": r["areaCode"]})
    return rows


def stdnum_loc_rows() -> list[dict[str, str]]:
    """Historical division codes from python-stdnum's loc.dat with their years of use."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    out: list[dict[str, str]] = []
    province = ""
    for line in text.splitlines():
        m = _LOC_LINE.match(line)
        if not m:
            continue
        if not m["indent"]:
            province = m["code"]
            continue
        code = province + m["code"]
        starts: list[int | None] = []
        ends: list[int | None] = []
        names: list[str] = []
        for part in m["value"].split(","):
            p = _PERIOD.match(part)
            if p:
                starts.append(int(p["start"]) if p["start"] else None)
                ends.append(int(p["end"]) if p["end"] else None)
                names.append(p["name"])
            else:
                starts.append(None)
                ends.append(None)
                names.append(part)
        out.append({
            "code": code,
            "name_zh": names[-1],
            "valid_from": "" if None in starts else str(min(s for s in starts if s is not None)),
            "valid_to": "" if None in ends else str(max(e for e in ends if e is not None)),
            "source": "stdnum",
        })
    return out


def ric_division_rows(admin: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = {r["code"]: r for r in stdnum_loc_rows()}
    for a in admin:
        if len(a["code"]) != 6:
            continue
        if a["code"] in rows:
            rows[a["code"]]["source"] = "stdnum+nbs2023"
            rows[a["code"]]["valid_to"] = ""
        else:
            rows[a["code"]] = {"code": a["code"], "name_zh": a["name_zh"], "valid_from": "",
                               "valid_to": "", "source": "nbs2023"}
    return [rows[k] for k in sorted(rows)]


def _write(name: str, rows: list[dict[str, str]]) -> Path:
    path = CODESETS_DIR / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def main() -> None:
    admin = admin_division_rows()
    counts = {lvl: sum(1 for r in admin if r["level"] == lvl) for lvl in LEVELS}
    _write("admin_divisions.csv", admin)
    ric = ric_division_rows(admin)
    _write("ric_divisions.csv", ric)
    print(f"admin_divisions.csv: {len(admin)} rows {counts}")
    print(f"ric_divisions.csv: {len(ric)} rows")


if __name__ == "__main__":
    main()
