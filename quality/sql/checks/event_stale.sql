{#- The newest event of an increment is older than the night minus the allowed lag. -#}
SELECT max(cl_parse_timestamp(CAST({{ column | ident }} AS VARCHAR))) AS value FROM {batch}
HAVING count(*) > 0
   AND coalesce(max(cl_parse_timestamp(CAST({{ column | ident }} AS VARCHAR))), TIMESTAMP '1900-01-01')
       < CAST({{ not_before | literal }} AS TIMESTAMP)
