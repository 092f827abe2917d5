{#- The limit's write: one library table's rows written once as Parquet. -#}
copy (select * from {{ table }}) to {{ target }} (format parquet);
