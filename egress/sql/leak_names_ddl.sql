create or replace temp table leak_names (name varchar);
