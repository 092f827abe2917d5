{#- Five-year age band label ('00-04', ..., '85-89', '90+'): 19 bands. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} >= 90 then '90+'
        else lpad(cast(cast(floor({{ age }} / 5) * 5 as integer) as {{ dbt.type_string() }}), 2, '0') || '-'
             || lpad(cast(cast(floor({{ age }} / 5) * 5 + 4 as integer) as {{ dbt.type_string() }}), 2, '0')
    end
{%- endmacro %}

{#- Age in whole years on a date. -#}
{% macro age_on(birth_date, on_date) -%}
    cast(floor({{ date_diff_boundaries('day', birth_date, on_date) }} / 365.25) as integer)
{%- endmacro %}
