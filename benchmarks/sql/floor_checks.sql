{#- The floor's validations: the same rules the gates apply, as plain SQL counts in one query. -#}
select
    count(*) as rows,
    {%- for k in pk %}
    count(*) filter (where {{ k }} is null or trim({{ k }}::varchar) = '') as null_{{ loop.index }},
    {%- endfor %}
    count(*) - count(distinct ({{ pk | join(', ') }})) as duplicate_keys,
    {%- for c in required %}
    count(*) filter (where {{ c }} is null) as missing_{{ loop.index }},
    {%- endfor %}
    {%- for c in ric %}
    count(*) filter (where {{ c }} is not null and not cl_ric_valid({{ c }}::varchar)) as bad_ric_{{ loop.index }},
    {%- endfor %}
    {%- for c in uscc %}
    count(*) filter (where {{ c }} is not null and not cl_uscc_valid({{ c }}::varchar)) as bad_uscc_{{ loop.index }},
    {%- endfor %}
    0 as _end
from read_parquet({{ path }});
