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

{#-
  The config of a nightly incremental model keyed on `key`, per engine (adapter.dispatch):
    DuckDB  delete+insert on the key (re-running a night replaces its rows);
    Spark   delete+insert is refused and merge needs Delta/Iceberg (not usable offline): models keyed
            on `dt` overwrite the night's partition (insert_overwrite, partition_by dt, dynamic
            partition overwrite in the profile); models keyed on another id are plain tables,
            rebuilt from every night up to the run date.
  Use (first line of the model): config(**night_incremental('dt')) in double braces.
-#}
{% macro night_incremental(key) -%}
    {{ return(adapter.dispatch('night_incremental', 'citylake')(key)) }}
{%- endmacro %}

{% macro default__night_incremental(key) -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert', 'unique_key': key}) }}
{%- endmacro %}

{% macro spark__night_incremental(key) -%}
    {%- if key == 'dt' -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
               'partition_by': ['dt'], 'file_format': 'parquet'}) }}
    {%- else -%}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
    {%- endif -%}
{%- endmacro %}
