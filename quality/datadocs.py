"""GX Data Docs that render offline (government intranets have no internet).

``build`` renders the site once per night (after the gates, in the reports step): building it
in every checkpoint cost ≈ 0.6 s per gate, growing with the number of stored results.

GX's Data Docs pages load Bootstrap, jQuery, Font Awesome and Vega from CDNs. ``make_offline``
rewrites every page of a site to drop those external references (so nothing waits on the
network) and link a small local stylesheet instead; the pages' content is server-rendered
HTML and stays readable.
"""

from __future__ import annotations

import re
from pathlib import Path

_EXTERNAL = re.compile(
    r"""<link\b[^>]*href=["']https?://[^"']*["'][^>]*>|<script\b[^>]*src=["']https?://[^"']*["'][^>]*>\s*</script>""",
    re.IGNORECASE)
_MARK = "<!-- citylake: offline -->"
OFFLINE_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:0 1rem;color:#1d2733}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem;margin:.5rem 0}.collapse:not(.show){display:block}
.text-danger{color:#b42318}.text-success{color:#067647}.navbar,.ge-navbar{background:#f3f5f7;padding:.5rem}
img{max-width:100%}.fas,.far,.fa{display:none}
"""


def make_offline(site_dir: Path) -> int:
    """Rewrite the site's HTML pages for offline use; returns the number of pages changed."""
    site_dir = Path(site_dir)
    css = site_dir / "static" / "styles" / "citylake_offline.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(OFFLINE_CSS, encoding="utf-8")
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _MARK in text and not _EXTERNAL.search(text):
            continue
        rel = Path(*[".."] * (len(page.relative_to(site_dir).parts) - 1), "static", "styles", "citylake_offline.css")
        text = _EXTERNAL.sub("", text)
        if _MARK not in text:
            text = text.replace("</head>", f'{_MARK}<link rel="stylesheet" href="{rel.as_posix()}"></head>', 1)
        page.write_text(text, encoding="utf-8")
        changed += 1
    return changed


def build(h) -> Path | None:  # noqa: ANN001 - citylake.core.paths.Home
    """Render GX's Data Docs for every stored validation result, offline; the site's index page."""
    from quality.gx_run import data_docs_index, gx_context, gx_lock

    if not h.gx.exists():
        return None  # no gate has run in this home yet
    with gx_lock(h):
        ctx = gx_context(h)
        ctx.build_data_docs()
        index = data_docs_index(ctx)
    if index is not None:
        make_offline(index.parent)
    return index
