SELECT count(*) AS n FROM ({{ relation_sql }}) AS r
