-- The night's latest gate run per dataset (index page and department header).
WITH latest AS (
    SELECT *, row_number() OVER (PARTITION BY dataset, handover ORDER BY started_at DESC) AS rn
    FROM quality.gate_runs WHERE run_date = CAST(? AS DATE)
)
SELECT department, dataset, handover, passed, expectations, blocking_failed, warnings_failed, row_count, seconds
FROM latest WHERE rn = 1 AND (department = ? OR ? IS NULL)
ORDER BY department, dataset
