{#-
  A code column standardised against its code set (standards/codesets/<codeset>.csv, loaded on every
  connection as temp.main.cl_codes): a delivered code is kept; a delivered Chinese label (exact, or
  the leading part of the label, e.g. 存续 for 存续（在营、开业、在册）) is replaced by its code;
  anything else is kept as delivered (cleaned) so quality checks can report it.
-#}
{% macro standard_code(codeset, column) -%}
    coalesce(
        (select min(c.code) from {{ cl_codes_relation() }} as c
          where c.codeset = '{{ codeset }}' and c.code = cl_clean({{ column }})),
        (select min(c.code) from {{ cl_codes_relation() }} as c
          where c.codeset = '{{ codeset }}'
            and (c.name_zh = cl_clean({{ column }}) or c.name_zh like cl_clean({{ column }}) || '%')),
        cl_clean({{ column }}))
{%- endmacro %}

{#- Where the long-format code sets live: DuckDB's temp table (standards.macros.install_macros), the
    Spark table the on-run-start creates (macros/spark_setup.sql). -#}
{% macro cl_codes_relation() -%}
    {{ return(adapter.dispatch('cl_codes_relation', 'citylake')()) }}
{%- endmacro %}

{% macro default__cl_codes_relation() -%}
    temp.main.cl_codes
{%- endmacro %}

{% macro spark__cl_codes_relation() -%}
    default.cl_codes
{%- endmacro %}
