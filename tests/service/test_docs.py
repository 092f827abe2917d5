"""The OpenAPI 3.1 spec and the /docs page, served with no CDN (checked in headless Chromium when installed)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import svcfixtures as sf

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.slow   # the real server on a loopback port


def test_openapi_spec_names_the_fixed_endpoints(server):
    spec = sf.get(f"{server.url}/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/v1/health", "/v1/token", "/v1/catalog", "/v1/catalog/{code}", "/v1/datasets/{code}/records",
                 "/v1/verify"):
        assert path in spec["paths"], path
    flows = [s for s in spec["components"]["securitySchemes"].values() if s["type"] == "oauth2"]
    assert flows and flows[0]["flows"]["clientCredentials"]["tokenUrl"] == "/v1/token"


def test_docs_page_references_only_local_assets(server):
    html = sf.get(f"{server.url}/docs").text
    refs = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
    assert refs, html
    assert not [r for r in refs if re.match(r"^(https?:)?//", r)], refs
    for r in refs:
        if r.startswith("/static"):
            assert sf.get(f"{server.url}{r}").status_code == 200, r


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                    "`make browser` installs it")
def test_docs_render_offline_in_headless_chromium(server, tmp_path):
    # every request but loopback (bypassed by default) goes to a dead proxy: a CDN asset could not load
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--proxy-server=http://127.0.0.1:9",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000"]
    dom = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", f"{server.url}/docs"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert 'class="swagger-ui' in dom
    for rendered in ("/v1/token", "/v1/verify", "/v1/datasets/{code}/records", "opblock"):
        assert rendered in dom, rendered
