-- 一数一源 data-level consistency findings (信息校核), rendered by standards.consistency.findings_sql.
-- For subjects present in both relations, every element the delivering feed carries whose
-- authoritative source is the other relation is compared; a delivered value that is present and
-- differs from the authoritative value is a finding reported back to the delivering department.
-- Keys are joined through the key element's normaliser (cl_ric_normalize for id_number); values are
-- compared as cleaned text (cl_clean), date elements through cl_parse_date.
{% for c in comparisons %}
SELECT
    CAST(a.{{ auth_key }} AS VARCHAR)            AS subject_key,
    {{ c.element | sql_literal }}                 AS element,
    CAST(a.{{ c.auth_column }} AS VARCHAR)       AS authoritative_value,
    CAST(d.{{ c.column }} AS VARCHAR)            AS delivered_value,
    {{ department | sql_literal }}                AS department,
    {{ feed | sql_literal }}                      AS feed,
    {{ c.column | sql_literal }}                  AS field,
    {{ c.auth_source | sql_literal }}             AS authoritative_source
FROM {{ authoritative }} AS a
JOIN {{ delivered }} AS d
    ON {{ key_normaliser }}(CAST(d.{{ delivered_key }} AS VARCHAR)) = {{ key_normaliser }}(CAST(a.{{ auth_key }} AS VARCHAR))
WHERE cl_clean(CAST(d.{{ c.column }} AS VARCHAR)) IS NOT NULL
{%- if c.type == 'date' %}
  AND cl_parse_date(CAST(d.{{ c.column }} AS VARCHAR)) IS DISTINCT FROM cl_parse_date(CAST(a.{{ c.auth_column }} AS VARCHAR))
{%- else %}
  AND cl_clean(CAST(d.{{ c.column }} AS VARCHAR)) IS DISTINCT FROM cl_clean(CAST(a.{{ c.auth_column }} AS VARCHAR))
{%- endif %}
{{ "UNION ALL" if not loop.last }}
{% endfor %}
