-- Row checks of one delivery, over `_cleaned` (ingest/checks.py: _seq, _row, _part = sheet/table, v_* as
-- delivered, c_* cleaned).
-- Rows are identified by _seq (0-based position in the delivery; _row repeats across
-- the sheets of a workbook). Returns one row per refused row: _seq, field, reason_code (of its first problem) and
-- reason (all its problems). Values are judged after cleaning (full-width, spaces):
-- cosmetic dirt lands and staging normalises it; only contract violations are refused.
with problems as (
    select null::bigint as _seq, null::integer as ord, null::varchar as field, null::varchar as code, null::varchar as reason
    where false
{%- set n = namespace(ord=0) %}
{%- for f in fields %}
    {%- set v = ("v_" ~ f.name) | ident %}
    {%- set c = ("c_" ~ f.name) | ident %}
    {%- if f.required %}{% set n.ord = n.ord + 1 %}
    union all
    select _seq, {{ n.ord }}, {{ f.name | literal }}, 'missing_required', {{ ("required field " ~ f.source ~ " (" ~ f.name ~ ") is empty") | literal }}
    from _cleaned where {{ c }} is null
    {%- endif %}
    {%- if f.type in ('date', 'timestamp', 'decimal', 'integer') %}{% set n.ord = n.ord + 1 %}
    union all
    select _seq, {{ n.ord }}, {{ f.name | literal }}, 'wrong_type',
    {%- if f.type == 'date' %}
        {{ (f.source ~ " is not a date: ") | literal }} || {{ v }}
    from _cleaned where {{ c }} is not null and {{ fn.parse_date }}({{ c }}) is null
    {%- elif f.type == 'timestamp' %}
        {{ (f.source ~ " is not a date-time: ") | literal }} || {{ v }}
    from _cleaned where {{ c }} is not null and {{ fn.parse_timestamp }}({{ c }}) is null
    {%- elif f.type == 'decimal' %}
        {{ (f.source ~ " is not a number: ") | literal }} || {{ v }}
    from _cleaned where {{ c }} is not null and cl_parse_number({{ c }}) is null
    {%- else %}
        {{ (f.source ~ " is not an integer: ") | literal }} || {{ v }}
    from _cleaned where {{ c }} is not null and try_cast(trim({{ c }}) as bigint) is null
    {%- endif %}
    {%- endif %}
    {%- if f.checked %}{% set n.ord = n.ord + 1 %}
    union all
    select _seq, {{ n.ord }}, {{ f.name | literal }}, 'invalid_check_digit',
        {{ (f.source ~ (" fails the GB 11643 ID-number check: " if f.checked == 'ric' else " fails the GB 32100 credit-code check: ")) | literal }} || {{ v }}
    from _cleaned where {{ c }} is not null and not {{ fn.ric_valid if f.checked == 'ric' else fn.uscc_valid }}({{ c }})
    {%- endif %}
{%- endfor %}
),
refused as (
    select _seq,
           arg_min(field, ord) as field,
           arg_min(code, ord) as reason_code,
           string_agg(reason, '; ' order by ord) as reason
    from problems
    group by _seq
),
keyed as (
    select
        d._seq,
        row_number() over w as occurrence,
        first_value(d._row) over w as first_row,
        first_value(d._part) over w as first_part
    from _cleaned d
    anti join refused r on r._seq = d._seq
    where {% for k in keys %}{{ ("c_" ~ k) | ident }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    window w as (partition by {% for k in keys %}{{ ("c_" ~ k) | ident }}{% if not loop.last %}, {% endif %}{% endfor %} order by d._seq)
)
select _seq, field, reason_code, reason
from refused
union all
select _seq, {{ keys | join(",") | literal }}, 'duplicate_key',
       {{ ("duplicate primary key (" ~ (keys | join(", ")) ~ ") within the delivery; its first occurrence (row ") | literal }}
       || first_row
{%- if part_label %}
       || coalesce({{ (" of " ~ part_label ~ " '") | literal }} || first_part || {{ "'" | literal }}, '')
{%- endif %}
       || ') landed'
from keyed
where occurrence > 1
order by _seq
