-- Every key used by at least one valid line (for the header mapping and drift report).
select distinct unnest(json_keys(line)) as key
from jsonl_lines
where case when json_valid(line) then json_type(line) = 'OBJECT' else false end
