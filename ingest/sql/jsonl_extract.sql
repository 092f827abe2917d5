-- Every JSON line once: whether it is a JSON object (the rest are quarantined as malformed,
-- with their text) and, for objects, the delivered fields as text. $1 is the list of JSON
-- paths, one per column: json_extract_string with a list parses each line once.
-- CASE, not AND: DuckDB evaluates both sides of AND, and json_type() raises on invalid JSON.
with checked as (
    select _row, line, case when json_valid(line) then json_type(line) = 'OBJECT' else false end as ok
    from jsonl_lines
),
extracted as (
    select _row, ok, case when not ok then line end as bad_line,
           case when ok then json_extract_string(line, $1) end as v
    from checked
)
select
    _row, ok, bad_line
{%- for c in columns %},
    v[{{ loop.index }}] as c{{ loop.index0 }}
{%- endfor %}
from extracted
order by _row
