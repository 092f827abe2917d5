"""Fixtures of the service tests: one small lake home and the real `citylake serve` on a loopback port."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import svcfixtures as sf  # noqa: E402


@pytest.fixture(scope="session")
def lake_home(tmp_path_factory):
    return sf.build_lake(tmp_path_factory.mktemp("service-home"))


@pytest.fixture(scope="session")
def server(lake_home):
    srv = sf.Server(lake_home)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def app_a(lake_home, server):
    return sf.add_app(lake_home, "civil", "低保核对系统")


@pytest.fixture(scope="session")
def app_b(lake_home, server):
    return sf.add_app(lake_home, "hrss", "就业服务系统")


@pytest.fixture(scope="session")
def auth_a(server, app_a):
    return {"Authorization": f"Bearer {sf.token(server.url, app_a)}"}
