{#- The night being processed, as a SQL date literal (var run_date, set by the nightly run). -#}
{% macro run_date() -%}
    cast('{{ var("run_date") }}' as date)
{%- endmacro %}
