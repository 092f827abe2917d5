create table if not exists lake.catalog.nights (
    night       date,         -- the night the batch processed
    snapshot_id bigint,       -- the last DuckLake snapshot the night's batch wrote
    marked_at   timestamptz   -- when the batch ended
)
