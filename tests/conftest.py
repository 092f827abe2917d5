"""Fixtures shared by more than one test folder."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import settings

from citylake.core.paths import Home
from tests.e2e.conftest import NIGHT_1, citylake, generate

# Property tests check values, not speed: on a shared 2-core machine one example can take
# longer than hypothesis's default 200 ms deadline (speed is measured in benchmarks/).
settings.register_profile("citylake", deadline=None)
settings.load_profile("citylake")


@pytest.fixture(scope="session")
def first_night(tmp_path_factory) -> tuple[Home, subprocess.CompletedProcess]:
    """The home after generating the tiny city and running night 1 (tests/e2e, tests/docs)."""
    h = Home(tmp_path_factory.mktemp("city") / "home").ensure()
    generate(h, NIGHT_1)
    proc = citylake(h, "nightly", "--date", NIGHT_1, check=False)
    return h, proc
