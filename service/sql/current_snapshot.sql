-- The lake's newest snapshot: every page of a request is read at one snapshot.
select id from lake.current_snapshot()
