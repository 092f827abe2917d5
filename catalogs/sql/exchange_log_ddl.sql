-- The exchange log (数据交换日志): every feed landing, gate decision, export and package.
create schema if not exists catalog;
create table if not exists catalog.exchange_log (
    exchange_id   varchar,    -- uuid
    recorded_at   timestamp,  -- when (wall clock, UTC)
    night         date,       -- the night the exchange belongs to
    kind          varchar,    -- landing | gate | catalog | export | open_data | share_package | share_refused | leakcheck
    dataset       varchar,    -- feed id, resource code or export name
    who           varchar,    -- department (id) or system that provided / received
    what          varchar,    -- short description
    rows          bigint,
    content_hash  varchar,    -- sha256 of the delivery / file
    gate_result   varchar,    -- pass | warn | blocked | refused | failed | n/a
    detail        varchar     -- the full record as JSON
);
