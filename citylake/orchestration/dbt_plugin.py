"""dbt-duckdb plugin: every dbt connection gets the extensions the models use and the standards macros.

Registered in dbt_project/profiles.yml (`plugins: [{module: citylake.orchestration.dbt_plugin}]`).
`configure_connection` also attaches the lake as `lake` on the home's catalog (SQLite or
PostgreSQL: citylake.core.db.catalog), the same ATTACH as every other connection. The standards macros are
TEMP objects (per DuckDB connection) and dbt runs models on cursors, so they are installed
on every cursor too.
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from citylake.core.db import DBT_EXTENSIONS, catalog, ducklake_attach_sql, load_extensions, record_catalog
from citylake.core.paths import home
from standards.macros import install_macros


class Plugin(BasePlugin):
    def configure_connection(self, conn):  # noqa: D102 - dbt-duckdb hook
        h = home()
        load_extensions(conn, tuple(dict.fromkeys(DBT_EXTENSIONS + catalog(h).extensions)))
        install_macros(conn)
        h.lake_data.mkdir(parents=True, exist_ok=True)
        conn.execute(ducklake_attach_sql(h))
        record_catalog(h, catalog(h))

    def configure_cursor(self, cursor):  # noqa: D102 - dbt-duckdb hook
        install_macros(cursor)
