-- The published catalog (catalogs/generate.py) as of one lake snapshot.
select resource_code, model, schema_name, table_name, name_zh, name_en, provider_id, provider_zh,
       share_type, share_condition, update_cycle, row_count
from lake.catalog.entries at (version => $snapshot)
order by resource_code
