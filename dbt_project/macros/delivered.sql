{#-
  The one import CTE of a staging model: the raw deliveries of feed `table` that the night
  being processed sees, chosen by the feed's delivery kind, which the generated _sources.yml
  carries from the feed registry (meta.delivery):
    snapshot            the latest delivery on or before the run date (a full picture each time);
                        in a snapshot feed's rows model (stg_<feed>_rows) with each row's
                        _row_id, only its new or changed rows where the model is incremental
                        (macros/snapshot_changes.sql);
    increment/watermark every delivery up to the run date (downstream incremental models take
                        only the night's partition).
-#}
{% macro delivered(table) -%}
    {%- set kind = delivery_kind(table) -%}
    {%- if kind == 'snapshot' and model.name.endswith('_rows') -%}
    {{ snapshot_rows_to_stage(table) }}
    {%- elif kind == 'snapshot' -%}
    {{ latest_delivery(table) }}
    {%- elif kind in ('increment', 'watermark') -%}
    select * from {{ source('raw', table) }}
    where cast(dt as date) <= {{ run_date() }}
    {%- else -%}
    {{ exceptions.raise_compiler_error("raw source " ~ table ~ ": unknown delivery kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- The latest delivery of snapshot feed `table` on or before the run date. -#}
{% macro latest_delivery(table) -%}
    with deliveries as (
        select * from {{ source('raw', table) }}
        where cast(dt as date) <= {{ run_date() }}
    )
    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)
{%- endmacro %}

{#- meta.delivery of raw source `table` (known once the graph is built; at parse time only the
    source() dependency matters, so any kind will do). -#}
{% macro delivery_kind(table) -%}
    {%- if not execute -%}{{ return('snapshot') }}{%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' and node.name == table -%}
        {{ return(node.meta.get('delivery') or node.config.meta.get('delivery')) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no raw source named " ~ table ~ " in _sources.yml") }}
{%- endmacro %}
