{#-
  A code column standardised against its code set (standards/codesets/<codeset>.csv, loaded on every
  connection as temp.main.cl_codes): a delivered code is kept; a delivered Chinese label (exact, or
  the leading part of the label, e.g. 存续 for 存续（在营、开业、在册）) is replaced by its code;
  anything else is kept as delivered (cleaned) so quality checks can report it.
-#}
{% macro standard_code(codeset, column) -%}
    coalesce(
        (select min(c.code) from temp.main.cl_codes as c
          where c.codeset = '{{ codeset }}' and c.code = cl_clean({{ column }})),
        (select min(c.code) from temp.main.cl_codes as c
          where c.codeset = '{{ codeset }}'
            and (c.name_zh = cl_clean({{ column }}) or c.name_zh like cl_clean({{ column }}) || '%')),
        cl_clean({{ column }}))
{%- endmacro %}
