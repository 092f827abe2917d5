"""The ground floor: paths, the one DuckDB connect, the one SQL-template loader, state, yaml, hashing, CLI value parsers, user errors."""
