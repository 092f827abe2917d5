-- Per feed and GB/T 36344 dimension for one night: the share of passing checks, each check
-- weighted by its row pass share (1 - unexpected/element; table-level checks count 1 or 0).
-- Only the latest department_to_raw gate run of each feed that night counts.
WITH latest AS (
    SELECT run_id, dataset, department, row_count,
           row_number() OVER (PARTITION BY dataset ORDER BY started_at DESC) AS rn
    FROM quality.gate_runs
    WHERE run_date = CAST(? AS DATE) AND handover = 'department_to_raw'
)
SELECT r.dataset, l.department, r.dimension, any_value(l.row_count) AS row_count,
       avg(CASE
             WHEN r.error IS NOT NULL THEN 0.0
             WHEN r.success THEN 1.0
             WHEN r.unexpected_count IS NOT NULL AND coalesce(r.element_count, 0) > 0
                  THEN greatest(0.0, 1.0 - r.unexpected_count / r.element_count)
             ELSE 0.0 END) AS score,
       count(*) AS checks,
       count(*) FILTER (WHERE NOT r.success) AS failed_checks,
       count(*) FILTER (WHERE r.error IS NOT NULL) AS errored_checks
FROM quality.gate_results AS r
JOIN latest AS l ON l.run_id = r.run_id AND l.rn = 1
GROUP BY ALL
