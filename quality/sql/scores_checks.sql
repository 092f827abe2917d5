-- The checks of one night, one row per check, for the scores (quality/scores.py weighs them:
-- row-level checks by their row pass share, table-level checks 1 or 0).
-- Only the latest department_to_raw gate run of each feed that night counts.
WITH latest AS (
    SELECT run_id, dataset, department, row_count,
           row_number() OVER (PARTITION BY dataset ORDER BY started_at DESC) AS rn
    FROM quality.gate_runs
    WHERE run_date = CAST(? AS DATE) AND handover = 'department_to_raw'
)
SELECT r.dataset, l.department, r.dimension, l.row_count, r.expectation, r.success,
       r.unexpected_count, r.element_count, r.error
FROM quality.gate_results AS r
JOIN latest AS l ON l.run_id = r.run_id AND l.rn = 1
ORDER BY r.dataset, r.dimension, r.expectation
