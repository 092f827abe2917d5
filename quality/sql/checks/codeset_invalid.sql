{#- A present value that is not a code of the element's code set (standards/codesets). -#}
SELECT {{ column | ident }} AS value{% if has_row %}, _row{% endif %} FROM {batch}
WHERE {{ column | ident }} IS NOT NULL AND trim(CAST({{ column | ident }} AS VARCHAR)) <> ''
  AND NOT coalesce(cl_in_codeset({{ codeset | literal }}, CAST({{ column | ident }} AS VARCHAR)), false)
