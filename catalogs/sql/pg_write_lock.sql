-- PostgreSQL: one `writing` transaction at a time across every worker, released at commit or rollback.
select pg_advisory_xact_lock(:key)
