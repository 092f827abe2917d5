-- Step 1 of the row checks: every value cleaned once (c_*), the raw value kept (v_*).
-- A separate statement so the optimizer does not fold the checks into one huge filter.
create or replace temp table _cleaned as
    select _row
    {%- for f in fields %},
        {{ f.name | ident }} as {{ ("v_" ~ f.name) | ident }},
        nullif({{ fn.clean }}({{ f.name | ident }}), '') as {{ ("c_" ~ f.name) | ident }}
    {%- endfor %}
    from delivery

