"""SQL used by ingest, kept in .sql files (Jinja-templated where the shape depends on the feed),
through the one loader (citylake.core.sqlfiles)."""

from pathlib import Path

from citylake.core.sqlfiles import SqlDir

_SQL = SqlDir(Path(__file__).parent)
render = _SQL.render
