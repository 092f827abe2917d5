{#-
  SQL that DuckDB and Spark both have but spell or count differently, one macro per construct
  (adapter.dispatch: `default__` is DuckDB's own spelling, `spark__` the same meaning on Spark).
-#}

{#- The number of `unit` boundaries crossed from `start_at` to `end_at` (dates or timestamps), as
    DuckDB's date_diff counts them: 08:00:59 → 08:01:00 is 1 minute, 31 Dec → 1 Jan is 1 year.
    Spark's timestampdiff counts whole units, so it compares both values truncated to the unit. -#}
{% macro date_diff_boundaries(unit, start_at, end_at) -%}
    {%- if unit not in ('year', 'month', 'day', 'hour', 'minute', 'second') -%}
        {{ exceptions.raise_compiler_error("date_diff_boundaries: unit " ~ unit ~ " is not one of year, month, day, hour, minute, second") }}
    {%- endif -%}
    {{ return(adapter.dispatch('date_diff_boundaries', 'citylake')(unit, start_at, end_at)) }}
{%- endmacro %}

{% macro default__date_diff_boundaries(unit, start_at, end_at) -%}
    date_diff('{{ unit }}', {{ start_at }}, {{ end_at }})
{%- endmacro %}

{% macro spark__date_diff_boundaries(unit, start_at, end_at) -%}
    timestampdiff({{ unit | upper }}, date_trunc('{{ unit | upper }}', {{ start_at }}), date_trunc('{{ unit | upper }}', {{ end_at }}))
{%- endmacro %}

{#- The non-null `value`s of a group joined by `separator` (a SQL string literal) in the order of
    `order_by` (one ascending expression; NULL keys last, DuckDB's default order). -#}
{% macro ordered_string_agg(value, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'citylake')(value, separator, order_by)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(value, separator, order_by) -%}
    string_agg({{ value }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value, separator, order_by) -%}
    listagg({{ value }}, {{ separator }}) within group (order by {{ order_by }} nulls last)
{%- endmacro %}
