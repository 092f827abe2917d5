{#- Schemas are the analyst-facing names (base, theme, indicator, ...), not target_schema prefixed. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
