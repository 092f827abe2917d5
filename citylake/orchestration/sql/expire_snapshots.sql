-- Expire these snapshots: time travel to them ends, files only they referenced are scheduled for deletion.
call ducklake_expire_snapshots('lake', versions => $versions)
