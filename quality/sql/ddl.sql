-- Lake tables of the quality gates (schema `quality`), created on first write.
-- One row per gate run (a suite validated at a hand-over point for a dataset and night).
CREATE SCHEMA IF NOT EXISTS quality;

CREATE TABLE IF NOT EXISTS quality.gate_runs (
    run_id           VARCHAR,     -- <handover>:<dataset>:<run_date>:<utc timestamp>
    run_date         DATE,        -- the night validated
    dataset          VARCHAR,     -- feed id or model/relation name
    department       VARCHAR,     -- owning department id (feeds), else NULL
    handover         VARCHAR,     -- department_to_raw | raw_to_staging | staging_to_base | base_to_theme | library_to_export
    relation         VARCHAR,     -- what was validated (table/view or SQL)
    suite            VARCHAR,
    passed           BOOLEAN,     -- no blocking expectation failed
    expectations     INTEGER,
    blocking_failed  INTEGER,
    warnings_failed  INTEGER,
    row_count        BIGINT,
    started_at       TIMESTAMP,
    seconds          DOUBLE,      -- wall time of the gate
    gx_seconds       DOUBLE       -- time spent in the GX checkpoint
);

CREATE TABLE IF NOT EXISTS quality.gate_results (
    run_id           VARCHAR,
    run_date         DATE,
    dataset          VARCHAR,
    department       VARCHAR,
    handover         VARCHAR,
    expectation      VARCHAR,     -- stable key of the rule
    expectation_type VARCHAR,     -- GX expectation class
    kwargs           VARCHAR,     -- JSON
    column_name      VARCHAR,
    severity         VARCHAR,     -- blocking | warning
    dimension        VARCHAR,     -- GB/T 36344: conformity | completeness | accuracy | consistency | timeliness | accessibility
    description_en   VARCHAR,
    description_zh   VARCHAR,
    rule_source      VARCHAR,
    success          BOOLEAN,
    unexpected_count BIGINT,
    element_count    BIGINT,
    unexpected_percent DOUBLE,
    observed_value   VARCHAR,     -- JSON
    sample           VARCHAR,     -- JSON list of failing values, personal data masked
    error            VARCHAR,     -- exception raised while validating, if any
    fix_en           VARCHAR,     -- what the data owner should do
    fix_zh           VARCHAR
);
