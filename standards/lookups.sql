-- Lookup tables behind the cl_ macros, loaded by standards.macros.install_macros(conn)
-- into the connection's temp catalog (so they resolve after `USE lake`).
-- {codesets_glob}: SQL string literal of the glob of the code-set CSVs (standards/codesets/*.csv),
-- substituted by install_macros as a quoted literal (a prepared parameter would make the DuckDB
-- Python client import pandas, ~2 s, on first use).
CREATE OR REPLACE TEMP TABLE cl_codes AS
SELECT
    parse_filename(filename, true) AS codeset,
    code,
    name_zh,
    coalesce(section, parent_code) AS parent
FROM read_csv({codesets_glob}, header = true, all_varchar = true, union_by_name = true, filename = true);
