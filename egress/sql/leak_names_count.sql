select count(*) from leak_names
