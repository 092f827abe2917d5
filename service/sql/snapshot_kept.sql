-- Whether the lake still keeps a snapshot (an export cut off by a stop is resumed only at its own snapshot).
select count(*) > 0 from lake.snapshots() where snapshot_id = $snapshot
