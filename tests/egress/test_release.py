"""The exit: a staged artefact reaches its destination only after the leak check passed."""

from __future__ import annotations

import pytest

from egress import LeakError, leakcheck, release, release_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


ID = ric("51060319900101123")
PAGE = "<!DOCTYPE html><html><body><h1>报告 Report</h1><table><tr><td>{cell}</td></tr></table></body></html>"


@pytest.mark.parametrize("cell", [f"id_number={ID}", '<span title="请回电 13812345678">x</span>',
                                  f"line={ID},张三,13812345678"])
def test_a_page_with_an_unmasked_id_or_mobile_is_refused_and_nothing_lands(tmp_path, cell):
    dest = tmp_path / "reports" / "psb.html"
    dest.parent.mkdir()
    dest.write_text("previous night's page", encoding="utf-8")
    with pytest.raises(LeakError) as err:
        release_text(PAGE.format(cell=cell), dest, staging=tmp_path / "zone")
    assert dest.read_text(encoding="utf-8") == "previous night's page"   # the last good page is kept
    assert list(dest.parent.iterdir()) == [dest]                          # no temporary file left behind
    assert (tmp_path / "zone" / "psb.html").exists()                      # the refused page stays in the zone
    assert err.value.findings and ID not in str(err.value) and "13812345678" not in str(err.value)


def test_a_clean_page_is_moved_out(tmp_path):
    dest = tmp_path / "reports" / "2026-11-25" / "psb.html"
    masked = PAGE.format(cell="id_number=510603********1234 phone=138****5678 code 11510600008717002X")
    assert release_text(masked, dest, staging=tmp_path / "zone") == dest
    assert dest.read_text(encoding="utf-8") == masked and not (tmp_path / "zone" / "psb.html").exists()


def test_release_moves_any_scanned_format(tmp_path):
    src, dest = tmp_path / "zone" / "data.csv", tmp_path / "publish" / "data.csv"
    src.parent.mkdir()
    src.write_text(f"ref,note\n{ID},ok\n", encoding="utf-8")
    with pytest.raises(LeakError):
        release(src, dest)
    assert not dest.exists() and src.exists()
    src.write_text("ref,note\n510603********1234,ok\n", encoding="utf-8")
    assert release(src, dest) == dest and not src.exists()


def test_the_leak_check_reads_html_text_and_attributes(tmp_path):
    import duckdb

    path = tmp_path / "page.html"
    path.write_text(f'<p title="{ID}">a</p><p>电话&#32;13812345678</p><svg><text>13912345699.5</text></svg>',
                    encoding="utf-8")
    findings = leakcheck.scan_file(duckdb.connect(), leakcheck.Target(path))
    assert {(f.check, f.column) for f in findings} == {("id_number", "value"), ("mobile", "value")}


def test_release_to_another_file_system_copies_beside_the_destination_then_renames(tmp_path, monkeypatch):
    import errno
    import os

    real, calls = os.replace, []

    def replace(a, b):          # the first rename crosses file systems, as a release to a mounted share would
        calls.append((str(a), str(b)))
        if len(calls) == 1:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(a, b)

    src, dest = tmp_path / "zone" / "data.csv", tmp_path / "publish" / "data.csv"
    src.parent.mkdir()
    src.write_text("ref,note\n510603********1234,ok\n", encoding="utf-8")
    monkeypatch.setattr(os, "replace", replace)
    assert release(src, dest) == dest and not src.exists()
    assert dest.read_text(encoding="utf-8").startswith("ref,note") and list(dest.parent.iterdir()) == [dest]
    assert calls[1][0].endswith(".data.csv.releasing")
