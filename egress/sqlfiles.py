"""egress/sql/: plain .sql (bound parameters) and .sql.j2 templates, through the one loader."""

from pathlib import Path

from citylake.core.sqlfiles import SqlDir

_SQL = SqlDir(Path(__file__).with_name("sql"))
load, render = _SQL.load, _SQL.render
