-- Tonight's per-feed scores of one department (or all departments when ? is NULL).
SELECT department, dataset, dimension, score, checks, failed_checks
FROM quality.scores
WHERE level = 'feed' AND run_date = CAST(? AS DATE) AND (department = ? OR ? IS NULL)
ORDER BY department, dataset, dimension
