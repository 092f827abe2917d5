{#- Required value missing: NULL or only blanks (raw values are VARCHAR as delivered). -#}
SELECT {{ column | ident }} AS value, _row FROM {batch}
WHERE {{ column | ident }} IS NULL OR trim(CAST({{ column | ident }} AS VARCHAR)) = ''
