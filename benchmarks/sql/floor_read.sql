{#- The floor's ingest: one plain DuckDB read of a delivery, header mapped, written as Parquet.
    No contract checks, no quarantine, no manifest — the least work that lands the same columns. -#}
copy (
    select
        {%- for f in fields %}
        {{ f.src }} as {{ f.name }},
        {%- endfor %}
        row_number() over () as _row,
        {{ source_file }} as _source_file
    from {{ reader }}
) to {{ target }} (format parquet);
