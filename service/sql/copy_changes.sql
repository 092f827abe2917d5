-- What the lake's snapshots after one and up to another changed (service.lake.Copies: which copies stay valid).
select changes from ducklake_snapshots('lake') where snapshot_id > $after and snapshot_id <= $upto
