-- The delivered fields as text; JSON paths are bound parameters ($1..$n), one per column.
select
    _row
{%- for c in columns %},
    json_extract_string(line, ${{ loop.index }}) as c{{ loop.index0 }}
{%- endfor %}
from jsonl_valid
order by _row
