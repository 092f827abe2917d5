CREATE SCHEMA IF NOT EXISTS quality;
CREATE TABLE IF NOT EXISTS quality.scores (
    run_date      DATE,
    level         VARCHAR,   -- feed | department
    department    VARCHAR,
    dataset       VARCHAR,   -- feed id; NULL for department rows
    dimension     VARCHAR,   -- conformity | completeness | accuracy | consistency | timeliness | accessibility | overall
    score         DOUBLE,    -- 0..100
    checks        INTEGER,
    failed_checks INTEGER,
    computed_at   TIMESTAMP
);
