-- The end snapshot of every marked night, oldest night first (a night run again: its latest run).
select night::varchar as night, max(snapshot_id) as snapshot_id
from lake.catalog.nights group by night order by night
