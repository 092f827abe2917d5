-- The metadata DB's schema version (one row; no table: a database older than versioning, or a new one).
select max(version) from schema_version
