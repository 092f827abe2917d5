{#-
  Change detection for snapshot feeds (issue 17). A snapshot feed delivers its whole table every
  night; most rows are the same as last night. Its staging is split in two:

    stg_<feed>_rows  incremental table: the cleaned rows, each with `_row_id` = a hash of the raw
                     row as delivered (every declared source column, not dt or the landing
                     bookkeeping) and its copy number among identical rows. A night cleans only
                     the raw rows whose `_row_id` the table does not hold yet (new or changed
                     rows); the pre-hook `snapshot_prune` first deletes the rows whose `_row_id`
                     tonight's snapshot no longer has (changed or deleted rows).
    stg_<feed>       the view downstream models read: the rows table with the snapshot's dt.

  The comparison is with what the table holds, not with the previous dt partition, so a
  re-delivered or late snapshot, a skipped night or a blocked feed catch up correctly. The rows
  table always holds exactly the cleaned rows of the latest delivery on or before the run date
  (as a multiset): the same rows a full re-staging gives. `CITYLAKE_SNAPSHOT_CHANGE_DETECTION=false`
  (var snapshot_change_detection) re-stages every row (e.g. after a cleaning rule changed);
  tests/dbt/test_incremental_snapshots.py proves both ways give the same lake over three nights.
  The only engine-specific statement (DELETE) is in the dispatched `snapshot_prune`.
-#}

{#- True when this run of a rows model cleans only the changed rows. -#}
{% macro snapshot_changes_only() -%}
    {{ return(is_incremental() and (var('snapshot_change_detection') | string | lower) not in ('false', '0', 'no')) }}
{%- endmacro %}

{#- Tonight's raw snapshot of `table` with `_row_id` (content hash, '-', copy number among identical rows). -#}
{% macro snapshot_hashed(table) -%}
    select *, _row_hash || '-' || cast(row_number() over (partition by _row_hash order by _source_file, _row) as {{ dbt.type_string() }}) as _row_id
    from (
        select *, {{ snapshot_row_hash(source_columns(table)) }} as _row_hash
        from (
            {{ latest_delivery(table) }}
        ) as snapshot
    ) as hashed
{%- endmacro %}

{#- md5 of the row as delivered: the md5 of each value ('-' for null, so null is not ''), joined.
    Every part is 32 hex characters or '-', so no two rows share a text; no length() (DuckDB counts
    grapheme clusters, Spark code points), so both engines hash alike. -#}
{% macro snapshot_row_hash(columns) -%}
    md5(concat(
    {%- for c in columns %}
        coalesce(md5(cast({{ c }} as {{ dbt.type_string() }})), '-'){{ "," if not loop.last }}
    {%- endfor %}
    ))
{%- endmacro %}

{#- The import CTE of a rows model (through delivered()): the rows to clean tonight. -#}
{% macro snapshot_rows_to_stage(table) -%}
    select * from (
        {{ snapshot_hashed(table) }}
    ) as tonight
    {%- if snapshot_changes_only() %}
    where not exists (select 1 from {{ this }} as staged where staged._row_id = tonight._row_id)
    {%- endif %}
{%- endmacro %}

{#- The pre-hook of a rows model: drop what tonight's snapshot no longer has (or, when change
    detection is off, everything, to re-stage in full). Engine-specific: a DELETE. -#}
{% macro snapshot_prune(table) -%}
    {{ return(adapter.dispatch('snapshot_prune', 'citylake')(table)) }}
{%- endmacro %}

{% macro default__snapshot_prune(table) -%}
    {%- if snapshot_changes_only() -%}
    delete from {{ this }}
    where _row_id not in (select _row_id from ({{ snapshot_hashed(table) }}) as tonight)
    {%- elif is_incremental() -%}
    delete from {{ this }}
    {%- else -%}
    select 1 as nothing_to_prune
    {%- endif -%}
{%- endmacro %}

{#- The dt column of a snapshot feed's view: the night of the latest delivery on or before the run date. -#}
{% macro snapshot_dt(table) -%}
    {#- grouped first: DuckDB 1.5.5 fails with an internal error ("index 17 within vector of size
        17") on max() over the hive partition column alone of read_parquet(union_by_name) -#}
    (select max(delivered_on) from (
        select cast(dt as date) as delivered_on from {{ source('raw', table) }}
        where cast(dt as date) <= {{ run_date() }}
        group by cast(dt as date)
    ) as nights)
{%- endmacro %}

{#- The delivered columns of raw source `table` (declared in the generated _sources.yml; not the
    partition column dt, which changes every night, nor the landing bookkeeping _row, _landed_at …). -#}
{% macro source_columns(table) -%}
    {%- if not execute -%}{{ return(['dt']) }}{%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' and node.name == table -%}
        {{ return(node.columns.keys() | reject('equalto', 'dt') | list) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no raw source named " ~ table ~ " in _sources.yml") }}
{%- endmacro %}

{#- The config of a snapshot feed's rows model, per engine (adapter.dispatch):
      DuckDB  an incremental table (append), pruned by `snapshot_prune` before each night;
      Spark   a plain parquet table rebuilt from tonight's snapshot (DELETE needs Delta/Iceberg,
              not usable offline; overwriting a table while reading it is refused).
    Use (first line of the model): config(**snapshot_rows_config('<feed>')) in double braces. -#}
{% macro snapshot_rows_config(table) -%}
    {{ return(adapter.dispatch('snapshot_rows_config', 'citylake')(table)) }}
{%- endmacro %}

{% macro default__snapshot_rows_config(table) -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append',
               'pre_hook': "{{ snapshot_prune('" ~ table ~ "') }}"}) }}
{%- endmacro %}

{% macro spark__snapshot_rows_config(table) -%}
    {{ return({'materialized': 'table', 'file_format': 'parquet'}) }}
{%- endmacro %}
