-- Failing expectations of the night's latest gate run per dataset of one department.
WITH latest AS (
    SELECT run_id, row_number() OVER (PARTITION BY dataset, handover ORDER BY started_at DESC) AS rn
    FROM quality.gate_runs
    WHERE run_date = CAST(? AS DATE) AND department = ?
)
SELECT r.dataset, r.handover, r.expectation, r.column_name, r.severity, r.dimension, r.description_en,
       r.description_zh, r.rule_source, r.unexpected_count, r.element_count, r.unexpected_percent, r.sample,
       r.error, r.fix_en, r.fix_zh
FROM quality.gate_results AS r JOIN latest AS l ON l.run_id = r.run_id AND l.rn = 1
WHERE NOT r.success
ORDER BY r.severity = 'warning', r.dataset, r.expectation
