{#- Too much of the delivery was refused at landing: the quarantined rows (ingest) exceed
    `share` of the rows read, and are at least `min_rows`. One row per reason code. -#}
WITH refused AS (
    SELECT reason_code FROM read_parquet({{ quarantine | literal }})
),
totals AS (
    SELECT (SELECT count(*) FROM refused) AS refused_rows, (SELECT count(*) FROM {batch}) AS landed_rows
)
SELECT refused.reason_code AS value, count(*) AS rows_quarantined
FROM refused, totals
WHERE totals.refused_rows >= {{ min_rows }}
  AND totals.refused_rows > {{ share }} * (totals.landed_rows + totals.refused_rows)
GROUP BY refused.reason_code
