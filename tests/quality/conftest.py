"""Fixtures of the quality tests: two small citylake homes, one good night and one bad night.

Each home lands psb_household (公安户籍) for NIGHT the way ingest does, with three earlier
nights of landing manifests (row-count history), runs the department → raw gate once and
keeps the result; the tests then look at it from every side.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import qfixtures as qf  # noqa: E402
from qfixtures import NIGHT, _history, _home, break_check_digit  # noqa: E402


@pytest.fixture(scope="session")
def feed():
    from ingest import registry

    return registry.feed("psb_household")


@pytest.fixture(scope="session")
def good_night(tmp_path_factory, feed):
    """120 clean rows, one invalid ID number (0.8 %, under the 1 % tolerance), steady history."""
    from quality import gates

    h = _home(tmp_path_factory, "good")
    rows = qf.household_rows(120)
    rows[7]["id_number"] = break_check_digit(rows[7]["id_number"])
    _history(h, feed, 120)
    qf.land(h, feed, NIGHT, rows)
    return h, rows, gates.gate_feed(feed.id, NIGHT, h=h)


@pytest.fixture(scope="session")
def bad_night(tmp_path_factory, feed):
    """Every blocking rule kind broken at once, plus warnings, quarantine and a late delivery."""
    from quality import gates

    h = _home(tmp_path_factory, "bad")
    rows = qf.household_rows(30)
    rows[3]["id_number"] = rows[4]["id_number"]                               # primary key duplicated
    rows[5]["person_name"] = "  "                                            # required field blank
    for i in (10, 11):                                                       # 2/30 invalid IDs > 1 %
        rows[i]["id_number"] = break_check_digit(rows[i]["id_number"])
    rows[12]["sex_code"] = "7"                                               # not in code set (warning)
    _history(h, feed, 100)                                                   # 30 rows < 50 % of 100
    qf.land(h, feed, NIGHT, rows, landed_at=datetime(2026, 11, 28, 9, 0))   # late (warning)
    qf.quarantine(h, feed, NIGHT, [(40, "birth_date", "bad_date", "出生日期无法识别 unparseable date"),
                                   (41, "birth_date", "bad_date", "出生日期无法识别 unparseable date")])
    return h, rows, gates.gate_feed(feed.id, NIGHT, h=h)
