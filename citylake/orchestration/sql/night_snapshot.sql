-- The last snapshot of one night (a night run again later: its latest run).
select snapshot_id from lake.catalog.nights where night = $night::date order by marked_at desc limit 1
