-- The end of one night's batch (written last by the publish step), in one labelled DuckLake
-- commit: `citylake sql --night D` reads the lake as of snapshot_id, the last one of night D.
insert into lake.catalog.nights (night, snapshot_id, marked_at) values ($night::date, $snapshot, now())
