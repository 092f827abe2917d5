-- Rows refused at landing for one department and night, by feed and reason (ingest quarantine).
SELECT feed_id, reason_code, any_value(reason) AS reason, field, count(*) AS n,
       list(row_number ORDER BY row_number)[1:5] AS rows,
       list(original ORDER BY row_number)[1:3] AS originals
FROM read_parquet({{ glob | literal }}, union_by_name = true)
GROUP BY feed_id, reason_code, field
ORDER BY n DESC
