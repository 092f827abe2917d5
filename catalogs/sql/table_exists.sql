select count(*) > 0 from duckdb_tables()
where database_name = 'lake' and schema_name = $schema and table_name = $table
