-- Load the code sets into <schema>.codeset_<name> (rendered by standards.codesets.load_sql).
-- Values stay text (all_varchar): codes such as '01' keep their leading zero.
CREATE SCHEMA IF NOT EXISTS {{ schema }};
{% for cs in codesets %}
CREATE OR REPLACE TABLE {{ schema }}.codeset_{{ cs.name }} AS
SELECT * FROM read_csv({{ cs.path | sql_literal }}, header = true, all_varchar = true);
{% endfor %}
CREATE OR REPLACE TABLE {{ schema }}.codeset_index AS
SELECT * FROM (VALUES
{%- for cs in codesets %}
    ({{ cs.name | sql_literal }}, {{ cs.name_zh | sql_literal }}, {{ cs.standard | sql_literal }}, {{ cs.version | sql_literal }}){{ "," if not loop.last }}
{%- endfor %}
) AS t(codeset, name_zh, standard, version);
