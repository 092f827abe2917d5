-- 'BASE TABLE' or 'VIEW' for a relation of the lake (no row: it does not exist yet). Parameters: schema, name.
select table_type
from information_schema.tables
where table_catalog = 'lake' and table_schema = ? and table_name = ?;
