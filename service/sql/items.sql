-- The data items (columns) of every catalog entry as of one lake snapshot.
select resource_code, column_name, name_zh, name_en, data_type, pii, share_type, share_condition, mask
from lake.catalog.items at (version => $snapshot)
order by resource_code, position
