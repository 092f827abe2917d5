"""catalogs/sql/: plain .sql (bound parameters) and .sql.j2 templates, through the one loader."""

from pathlib import Path

from catalogs.rowfilter import sql_type
from citylake.core.sqlfiles import SqlDir

_SQL = SqlDir(Path(__file__).with_name("sql"), filters={"sql_type": sql_type})
load, render = _SQL.load, _SQL.render
