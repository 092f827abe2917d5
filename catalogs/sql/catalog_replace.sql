-- Tonight's catalog replaces the stored one (history has been written first).
delete from catalog.entries;
insert into catalog.entries by name select * from new_entries;
delete from catalog.items;
insert into catalog.items by name select * from new_items;
