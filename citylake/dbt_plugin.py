"""dbt-duckdb plugin: every dbt connection gets the wheel-shipped extensions and the standards macros.

Registered in dbt_project/profiles.yml (`plugins: [{module: citylake.dbt_plugin}]`).
dbt-duckdb runs `configure_connection` before its `attach:` list, so the DuckLake and
SQLite extensions are loaded by the time the lake is attached. The standards macros are
TEMP objects (per DuckDB connection) and dbt runs models on cursors, so they are installed
on every cursor too.
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from citylake.db import load_extensions
from standards.macros import install_macros


class Plugin(BasePlugin):
    def configure_connection(self, conn):  # noqa: D102 - dbt-duckdb hook
        load_extensions(conn)
        install_macros(conn)

    def configure_cursor(self, cursor):  # noqa: D102 - dbt-duckdb hook
        install_macros(cursor)
