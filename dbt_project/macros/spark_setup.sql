{#-
  What a run needs on its engine before the models, one macro per construct (adapter.dispatch):
    DuckDB  nothing: the dbt plugin (citylake.orchestration.dbt_plugin) attaches the lake, loads the
            standards macros and the code sets; raw sources are read_parquet() (_sources.yml).
    Spark   the raw sources as external Parquet tables (schema `raw`, one per _sources.yml table, over
            the raw zone's dt=… partitions), the code-set lookups and the cl_* SQL functions
            (macros/spark_standards.sql, generated from standards/macros_spark.sql). They persist in
            the metastore: CITYLAKE_SPARK_SETUP=false skips them for a run that reads no raw source
            (the night's builds after staging: citylake.orchestration.dag_spec.reads_raw).
-#}
{% macro citylake_on_run_start() -%}
    {{ return(adapter.dispatch('citylake_on_run_start', 'citylake')()) }}
{%- endmacro %}

{% macro default__citylake_on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__citylake_on_run_start() -%}
    {%- if execute and env_var('CITYLAKE_SPARK_SETUP', 'true') == 'true' -%}
    {%- set home = env_var('CITYLAKE_HOME') -%}
    {%- set raw_url = env_var('CITYLAKE_RAW_URL', home ~ '/raw') -%}
    {% do run_query('create database if not exists raw') %}
    {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
        {%- set department = node.meta.get('department') or node.config.meta.get('department') -%}
        {% do run_query('drop table if exists raw.' ~ node.name) %}
        {% do run_query("create table raw." ~ node.name ~ " using parquet options (path '" ~ raw_url ~ "/"
                        ~ department ~ "/" ~ node.name ~ "', mergeSchema 'true')") %}
        {% do run_query('alter table raw.' ~ node.name ~ ' recover partitions') %}
    {%- endfor -%}
    {%- for statement in spark_standard_lookups(home ~ '/work/spark/codes') + spark_standard_functions() -%}
        {% do run_query(statement) %}
    {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

