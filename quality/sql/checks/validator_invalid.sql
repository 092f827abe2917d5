{#- A present value the element's validator macro (standards/macros.sql) rejects. -#}
SELECT {{ column | ident }} AS value{% if has_row %}, _row{% endif %} FROM {batch}
WHERE {{ column | ident }} IS NOT NULL AND trim(CAST({{ column | ident }} AS VARCHAR)) <> ''
  AND NOT coalesce({{ macro | macro }}(CAST({{ column | ident }} AS VARCHAR)), false)
