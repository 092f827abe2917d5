{#-
  The one generic macro of the indicator library: every declared indicator (macros/indicators/
  _declarations.sql, generated from indicators/*.yml) broken down by each of its dimensions plus
  `all` (unless the declaration says `total: false`), as long rows (indicator_id, dimension, dimension_member, period, value, unit).
  period: the run date for snapshot indicators, YYYY-MM-DD (day) or YYYY-MM (month) of the
  indicator's time column otherwise. `$run_date` in a measure or filter is the night's date.
  One import CTE per source model, one GROUPING SETS query per indicator.
-#}
{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro indicator_period(ind) -%}
    {%- if ind.grain == 'snapshot' -%}
    {{ sql_string(var('run_date')) }}
    {%- elif ind.grain == 'day' -%}
    cast(cast({{ ind.time }} as date) as varchar)
    {%- else -%}
    substr(cast({{ ind.time }} as varchar), 1, 7)
    {%- endif -%}
{%- endmacro %}

{% macro indicator_series() %}
{%- set declarations = indicator_declarations() -%}
{%- set models = [] -%}
{%- for ind in declarations -%}{%- if ind.model not in models -%}{%- do models.append(ind.model) -%}{%- endif -%}{%- endfor -%}
with

{% for model in models %}
source_{{ model }} as (

    select * from {{ ref(model) }}

),

{% endfor %}
{%- for ind in declarations %}
{%- set conditions = [] -%}
{%- if ind.filter -%}{%- do conditions.append('(' ~ (ind.filter | replace('$run_date', run_date())) ~ ')') -%}{%- endif -%}
{%- if ind.grain != 'snapshot' -%}{%- do conditions.append(ind.time ~ ' is not null') -%}{%- endif %}
indicator_{{ loop.index }} as (

    select
        {{ sql_string(ind.id) }} as indicator_id,
        case
            {%- for dim in ind.dimensions %}
            when grouping(member_{{ loop.index }}) = 0 then {{ sql_string(dim[0]) }}
            {%- endfor %}
            else 'all'
        end as dimension,
        case
            {%- for dim in ind.dimensions %}
            when grouping(member_{{ loop.index }}) = 0 then member_{{ loop.index }}
            {%- endfor %}
            else 'all'
        end as dimension_member,
        period,
        cast({{ ind.measure | replace('$run_date', run_date()) }} as decimal(38,4)) as value,
        {{ sql_string(ind.unit) }} as unit
    from (
        select
            *,
            {%- for dim in ind.dimensions %}
            coalesce(cast({{ dim[1] }} as varchar), 'unknown') as member_{{ loop.index }},
            {%- endfor %}
            {{ indicator_period(ind) }} as period
        from source_{{ ind.model }}
        {% if conditions %}where {{ conditions | join(' and ') }}{% endif %}
    ) as prepared
    group by grouping sets (
        {%- if ind.total %}
        (period),
        {%- endif %}
        {%- for dim in ind.dimensions %}
        (period, member_{{ loop.index }}){{ "," if not loop.last }}
        {%- endfor %}
    )

),

{% endfor %}
unioned as (

    {% for ind in declarations %}
    select * from indicator_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
{% endmacro %}
