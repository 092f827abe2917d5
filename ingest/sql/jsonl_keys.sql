-- Every key used by at least one valid line (for the header mapping and drift report).
select distinct unnest(json_keys(line)) as key
from jsonl_lines
where json_valid(line) and json_type(line) = 'OBJECT'
