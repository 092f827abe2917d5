-- Which JSON Lines are a JSON object (the rest are quarantined as malformed).
-- CASE, not AND: DuckDB evaluates both sides of AND, and json_type() raises on invalid JSON.
select _row, line,
       case when json_valid(line) then json_type(line) = 'OBJECT' else false end as ok
from jsonl_lines
order by _row
