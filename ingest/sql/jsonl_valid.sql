-- Which JSON Lines are a JSON object (the rest are quarantined as malformed).
select _row, line, coalesce(json_valid(line) and json_type(line) = 'OBJECT', false) as ok
from jsonl_lines
order by _row
