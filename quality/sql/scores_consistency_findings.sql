-- 一数一源 consistency findings per feed for one night (table written by the libraries issue).
SELECT {{ feed_col | ident }} AS dataset, count(*) AS findings
FROM quality.consistency_findings
WHERE CAST({{ date_col | ident }} AS DATE) = CAST(? AS DATE)
GROUP BY ALL
