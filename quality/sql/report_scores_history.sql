-- Department-level scores of the last nights up to the report's night (trend charts).
SELECT CAST(run_date AS VARCHAR) AS run_date, dimension, score
FROM quality.scores
WHERE level = 'department' AND department = ? AND run_date <= CAST(? AS DATE)
  AND run_date > CAST(? AS DATE) - INTERVAL {{ nights | int }} DAY
ORDER BY run_date, dimension
