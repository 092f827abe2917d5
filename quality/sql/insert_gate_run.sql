INSERT INTO quality.gate_runs
    (run_id, run_date, dataset, department, handover, relation, suite, passed, expectations,
     blocking_failed, warnings_failed, row_count, started_at, seconds, gx_seconds)
VALUES (?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?);
