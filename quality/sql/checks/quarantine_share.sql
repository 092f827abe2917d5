{#- Too much of the delivery was refused at landing: the quarantined rows (ingest) exceed
    `share` of the rows read, and are at least `min_rows`. One row per reason code.
    `carried`: earlier nights' quarantines (quality.suites.carried_quarantines) — a row refused there with the
    same content is not counted again, nor in the rows read. -#}
WITH tonight AS (
    SELECT reason_code, original FROM read_parquet({{ quarantine | literal }})
),
{%- if carried %}
carried AS (
    SELECT DISTINCT original FROM read_parquet([{% for p in carried %}{{ p | literal }}{{ ", " if not loop.last }}{% endfor %}])
),
refused AS (
    SELECT reason_code FROM tonight ANTI JOIN carried USING (original)
),
{%- else %}
refused AS (
    SELECT reason_code FROM tonight
),
{%- endif %}
totals AS (
    SELECT (SELECT count(*) FROM refused) AS refused_rows, (SELECT count(*) FROM {batch}) AS landed_rows
)
SELECT refused.reason_code AS value, count(*) AS rows_quarantined
FROM refused, totals
WHERE totals.refused_rows >= {{ min_rows }}
  AND totals.refused_rows > {{ share }} * (totals.landed_rows + totals.refused_rows)
GROUP BY refused.reason_code
