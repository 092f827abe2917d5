-- Columns of the library tables that exist in the lake (order as stored).
select schema_name, table_name, column_name, data_type, column_index
from duckdb_columns()
where database_name = 'lake' and schema_name in ('base', 'theme', 'indicator')
order by schema_name, table_name, column_index
