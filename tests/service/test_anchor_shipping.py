"""Anchors of the exchange log shipped off the machine by the platform itself: each anchor is POSTed as JSON to
CITYLAKE_SERVICE_ANCHOR_URL (here a receiver on a loopback port), retried; one not received is marked in the home's
anchors file and shown by `citylake service log verify`."""

from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import svcfixtures as sf

from service import log

pytestmark = pytest.mark.slow   # the real server on a loopback port


class Receiver:
    """A notary on a loopback port: keeps the JSON bodies POSTed to it; answers 503 to the first `refuse` tries."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.tries = 0
        self.refuse = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                outer.tries += 1
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ok = outer.tries > outer.refuse
                if ok:
                    outer.bodies.append(body)
                self.send_response(200 if ok else 503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/anchors?token=s3cret"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h = sf.build_lake(tmp_path_factory.mktemp("anchor-home"))
    sf.Server(h).stop()             # a few calls in the log (the health pings)
    return h


def _log(h, url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(sf.CITYLAKE), "service", "log", *args], capture_output=True, text=True, timeout=120,
                          env=sf.env(h) | {"CITYLAKE_SERVICE_ANCHOR_URL": url})


def test_every_anchor_is_shipped_off_the_machine_retried(home, receiver):
    srv = sf.Server(home, settings={"CITYLAKE_SERVICE_ANCHOR_URL": receiver.url})     # the start's anchor
    srv.stop()
    started = log.anchors(log.anchors_file(home))[-1]
    assert receiver.bodies == [{k: started[k] for k in ("anchored_at", "at", "row_hash", "seq")}]
    assert started["shipped"] is True
    receiver.refuse = receiver.tries + 2             # the next two tries are refused: the third is received
    r = _log(home, receiver.url, "anchor")
    assert r.returncode == 0 and "shipped to CITYLAKE_SERVICE_ANCHOR_URL" in r.stdout, r.stdout + r.stderr
    line = log.anchors(log.anchors_file(home))[-1]
    assert receiver.tries == 4 and receiver.bodies[-1]["row_hash"] == line["row_hash"] and line["shipped"] is True


def test_an_anchor_not_received_is_kept_and_shown_by_log_verify(home):
    dead = f"http://127.0.0.1:{sf.free_port()}/anchors?token=s3cret"       # nothing listens there
    r = _log(home, dead, "anchor")
    assert r.returncode == 0 and "not shipped to CITYLAKE_SERVICE_ANCHOR_URL: ConnectError" in r.stdout, r.stdout
    line = log.anchors(log.anchors_file(home))[-1]
    assert line["shipped"] is False and "s3cret" not in json.dumps(line)
    v = _log(home, dead, "verify")
    assert v.returncode == 0 and f"the anchor of row {line['seq']}" in v.stdout and "not shipped off the machine" in v.stdout
    assert "exchange log intact" in v.stdout


@pytest.mark.parametrize("bad", ["ftp://notary.example/anchors", "notary.example", "http:///anchors"])
def test_an_anchor_url_that_is_not_http_is_one_line_and_exit_2(home, bad):
    r = _log(home, bad, "anchor")
    out = (r.stdout + r.stderr).strip()
    assert r.returncode == 2 and "CITYLAKE_SERVICE_ANCHOR_URL" in out and len(out.splitlines()) == 1, out
