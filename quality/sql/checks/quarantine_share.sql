{#- Too much of the delivery was refused at landing: the quarantined rows (ingest) exceed
    `share` of the rows read, and are at least `min_rows`. One row per reason code. -#}
SELECT q.reason_code AS value, count(*) AS rows_quarantined
FROM read_parquet({{ quarantine | literal }}) AS q
GROUP BY q.reason_code
HAVING (SELECT count(*) FROM read_parquet({{ quarantine | literal }})) >= {{ min_rows }}
   AND (SELECT count(*) FROM read_parquet({{ quarantine | literal }}))
       > {{ share }} * ((SELECT count(*) FROM {batch}) + (SELECT count(*) FROM read_parquet({{ quarantine | literal }})))
