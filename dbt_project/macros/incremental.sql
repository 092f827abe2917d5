{#-
  Incremental event models: a night processes only its own delivery partition (dt = run_date).
  On a full build (first run or --full-refresh) every night up to the run date is processed.
  Models use the delete+insert strategy keyed on `dt` (or on the event key), so re-running
  the same night replaces that night's rows and is idempotent.
-#}
{% macro night_filter(column='dt') -%}
    {%- if is_incremental() -%}
    {{ column }} = {{ run_date() }}
    {%- else -%}
    {{ column }} <= {{ run_date() }}
    {%- endif -%}
{%- endmacro %}
