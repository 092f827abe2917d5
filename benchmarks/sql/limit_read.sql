{#- The limit's read: every delivered byte read once by DuckDB and written as Parquet, nothing else
    (no header mapping, no row numbers, no checks). -#}
copy (select * from {{ reader }}) to {{ target }} (format parquet);
