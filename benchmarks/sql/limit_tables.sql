-- The library tables the product built: every table of the library schemas ($layers) of the attached lake.
select schema_name, table_name
from duckdb_tables()
where database_name = 'product' and schema_name in (select unnest($layers::varchar[]))
order by all
