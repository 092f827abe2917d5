-- The lake's latest snapshot (NULL: none yet).
SELECT max(snapshot_id) FROM lake.snapshots()
