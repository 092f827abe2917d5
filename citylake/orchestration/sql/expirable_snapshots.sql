-- The snapshots `citylake lake maintain` expires: every one up to $cut (the end of the newest
-- night it does not keep) except the night marks (catalog.nights: `citylake sql --night D` still
-- travels to them) and the current snapshot (DuckLake never expires it).
select snapshot_id from lake.snapshots()
where snapshot_id <= $cut
  and snapshot_id not in (select snapshot_id from lake.catalog.nights)
  and snapshot_id < (select max(snapshot_id) from lake.snapshots())
order by snapshot_id
