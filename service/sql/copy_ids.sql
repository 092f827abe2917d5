-- The DuckLake table ids of every table of this name (snapshot changes name tables by id).
select table_id from ducklake_table_info('lake') where table_name = $table
