-- Stage tonight's generated catalog (registered Arrow tables new_entries_arrow / new_items_arrow)
-- in temp tables shaped exactly like the stored ones.
create or replace temp table new_entries as select * from catalog.entries limit 0;
insert into new_entries by name select * from new_entries_arrow;
create or replace temp table new_items as select * from catalog.items limit 0;
insert into new_items by name select * from new_items_arrow;
