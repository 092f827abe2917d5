-- The pii class of every published data item, for masking an objection's record key and claimed value.
select resource_code, column_name, pii from catalog.items
