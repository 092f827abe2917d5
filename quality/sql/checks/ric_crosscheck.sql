{#- ID number (GB 11643) disagrees with the record's own birth date or sex code
    (cl_ric_crosscheck returns the reason, NULL when consistent); computed once per row. -#}
SELECT value{% if has_row %}, _row{% endif %}, reason FROM (
    SELECT {{ id_column | ident }} AS value{% if has_row %}, _row{% endif %},
           cl_ric_crosscheck(CAST({{ id_column | ident }} AS VARCHAR), CAST({{ birth_column | ident }} AS VARCHAR),
                             CAST({{ sex_column | ident }} AS VARCHAR)) AS reason
    FROM {batch}
    WHERE {{ id_column | ident }} IS NOT NULL AND coalesce(cl_ric_valid(CAST({{ id_column | ident }} AS VARCHAR)), false)
) AS checked
WHERE reason IS NOT NULL
