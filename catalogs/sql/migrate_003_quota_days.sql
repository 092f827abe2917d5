-- Schema version 3: the records rows each app read per UTC day (service.quotas: rows per day), counted from the
-- exchange log kept so far as service.quotas.counted_rows counts them (records pages under /v1/datasets/).
create table if not exists quota_days (
    client_id varchar(64) not null,
    day varchar(10) not null,
    "rows" integer not null,
    primary key (client_id, day)
);
insert into quota_days (client_id, day, "rows")
select client_id, substr("at", 1, 10), sum("rows")
from exchange_log
where client_id is not null and "rows" > 0 and path like '/v1/datasets/%'
group by client_id, substr("at", 1, 10)
