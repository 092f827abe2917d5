{#- A feed's landed raw Parquet for one night (values as delivered, all VARCHAR, plus _row, _source_file, ...). -#}
SELECT * FROM read_parquet({{ path | literal }}, union_by_name = true)
