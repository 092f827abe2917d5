-- 一数一源 consistency findings per feed for one night (dbt model intermediate.int_consistency_findings).
SELECT feed AS dataset, count(*) AS findings
FROM intermediate.int_consistency_findings
WHERE CAST(dt AS DATE) = CAST(? AS DATE)
GROUP BY ALL
