-- Rows refused at landing for one department and night, by feed and reason (ingest quarantine).
-- The reason shown is the first row's, whose original is the first sample (the report masks it with that row's values).
SELECT feed_id, reason_code, list(reason ORDER BY row_number, source_file)[1] AS reason, field, count(*) AS n,
       list(row_number ORDER BY row_number, source_file)[1:5] AS rows,
       list(original ORDER BY row_number, source_file)[1:3] AS originals
FROM read_parquet({{ glob | literal }}, union_by_name = true)
GROUP BY feed_id, reason_code, field
ORDER BY n DESC, feed_id, reason_code
