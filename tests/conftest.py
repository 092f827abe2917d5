"""Fixtures shared by more than one test folder."""

from __future__ import annotations

import subprocess

import pytest

from citylake.paths import Home
from tests.e2e.conftest import NIGHT_1, citylake, generate


@pytest.fixture(scope="session")
def first_night(tmp_path_factory) -> tuple[Home, subprocess.CompletedProcess]:
    """The home after generating the tiny city and running night 1 (tests/e2e, tests/docs)."""
    h = Home(tmp_path_factory.mktemp("city") / "home").ensure()
    generate(h, NIGHT_1)
    proc = citylake(h, "nightly", "--date", NIGHT_1, check=False)
    return h, proc
