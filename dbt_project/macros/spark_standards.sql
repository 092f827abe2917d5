{#- GENERATED from standards/macros_spark.sql by `python -m standards.macros_spark` - do not edit. -#}
{% macro spark_standard_functions() -%}
{%- set out = [] -%}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_halfwidth(s STRING) RETURNS STRING RETURN
    translate(s, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
                 '!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_clean(s STRING) RETURNS STRING RETURN
    nullif(trim(BOTH concat(' ', chr(9), chr(10), chr(13), chr(160)) FROM default.cl_halfwidth(s)), ''){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__datetime_text1(t STRING) RETURNS STRING RETURN regexp_replace(
    replace(replace(replace(replace(replace(replace(replace(t,
        '年', '-'), '月', '-'), '/', '-'), '日', ' '), '时', ':'), '分', ':'), '秒', ''),
    '^([12][0-9]{3})[.]([0-9]{1,2})[.]([0-9]{1,2})', '$1-$2-$3'){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__datetime_text(s STRING) RETURNS STRING RETURN
    trim(CASE WHEN endswith(default.cl__datetime_text1(default.cl_clean(s)), ':')
              THEN left(default.cl__datetime_text1(default.cl_clean(s)), length(default.cl__datetime_text1(default.cl_clean(s))) - 1)
              ELSE default.cl__datetime_text1(default.cl_clean(s)) END){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__timestamp_from_parts(y STRING, m STRING, d STRING, hh STRING, mi STRING,
                                                          ss STRING, ff STRING) RETURNS TIMESTAMP_NTZ RETURN
    CASE WHEN y <> '' THEN
        CAST(try_to_timestamp(concat(y, '-', m, '-', d, ' ', coalesce(nullif(hh, ''), '0'), ':',
                                     coalesce(nullif(mi, ''), '0'), ':', coalesce(nullif(ss, ''), '0')),
                              'y-M-d H:m:s') AS TIMESTAMP_NTZ)
        + make_dt_interval(0, 0, 0, CAST(coalesce(CAST(nullif(rpad(ff, 6, '0'), '000000') AS BIGINT), 0) AS DECIMAL(18, 6)) / 1000000)
    END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__parse_timestamp_t(t STRING) RETURNS TIMESTAMP_NTZ RETURN CASE
    WHEN t RLIKE '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$'
        THEN default.cl__timestamp_from_parts(
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 1),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 2),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 3),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 4),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 5),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 6),
            regexp_extract(t, '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:[.]([0-9]{1,6}))?)?)?$', 7))
    WHEN t RLIKE '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$'
        THEN default.cl__timestamp_from_parts(
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 1),
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 2),
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 3),
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 4),
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 5),
            regexp_extract(t, '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?$', 6),
            '')
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_parse_timestamp(s STRING) RETURNS TIMESTAMP_NTZ RETURN
    default.cl__parse_timestamp_t(default.cl__datetime_text(s)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_parse_date(s STRING) RETURNS DATE RETURN CAST(default.cl_parse_timestamp(s) AS DATE){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_parse_number(s STRING) RETURNS DOUBLE RETURN CASE
    WHEN regexp_replace(default.cl_clean(s), '[,元]', '') RLIKE '^[+-]?[0-9]+([.][0-9]+)?$'
        THEN CAST(regexp_replace(default.cl_clean(s), '[,元]', '') AS DOUBLE)
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_parse_bool(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN lower(default.cl_clean(s)) IN ('是', '1', 'y', 'yes', 't', 'true') THEN true
    WHEN lower(default.cl_clean(s)) IN ('否', '0', 'n', 'no', 'f', 'false') THEN false
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_in_codeset(set_name STRING, value STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl_clean(value) IS NOT NULL THEN EXISTS (
        SELECT 1 FROM default.cl_codes AS c WHERE c.codeset = set_name AND c.code = default.cl_clean(value))
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_code_name(set_name STRING, value STRING) RETURNS STRING RETURN (
    SELECT min(c.name_zh) FROM default.cl_codes AS c WHERE c.codeset = set_name AND c.code = default.cl_clean(value)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_division_valid(s STRING) RETURNS BOOLEAN RETURN default.cl_in_codeset('admin_divisions', s){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_industry_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl_clean(s) IS NOT NULL THEN
        default.cl_clean(s) RLIKE '^[0-9]{2,4}$' AND default.cl_in_codeset('industry', substr(default.cl_clean(s), 1, 2))
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_industry_section(s STRING) RETURNS STRING RETURN CASE
    WHEN default.cl_industry_valid(s) THEN (
        SELECT min(c.parent) FROM default.cl_codes AS c
        WHERE c.codeset = 'industry' AND c.code = substr(default.cl_clean(s), 1, 2))
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_normalize(s STRING) RETURNS STRING RETURN
    replace(replace(default.cl_clean(s), ' ', ''), 'x', 'X'){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__ric_check_char(n STRING) RETURNS STRING RETURN substr('10X98765432', CAST((
        (ascii(substr(n, 1, 1)) - 48) * 7 + (ascii(substr(n, 2, 1)) - 48) * 9 + (ascii(substr(n, 3, 1)) - 48) * 10 +
        (ascii(substr(n, 4, 1)) - 48) * 5 + (ascii(substr(n, 5, 1)) - 48) * 8 + (ascii(substr(n, 6, 1)) - 48) * 4 +
        (ascii(substr(n, 7, 1)) - 48) * 2 + (ascii(substr(n, 8, 1)) - 48) * 1 + (ascii(substr(n, 9, 1)) - 48) * 6 +
        (ascii(substr(n, 10, 1)) - 48) * 3 + (ascii(substr(n, 11, 1)) - 48) * 7 + (ascii(substr(n, 12, 1)) - 48) * 9 +
        (ascii(substr(n, 13, 1)) - 48) * 10 + (ascii(substr(n, 14, 1)) - 48) * 5 + (ascii(substr(n, 15, 1)) - 48) * 8 +
        (ascii(substr(n, 16, 1)) - 48) * 4 + (ascii(substr(n, 17, 1)) - 48) * 2
    ) % 11 AS INT) + 1, 1){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__ric_birth_date_n(n STRING) RETURNS DATE RETURN CASE
    WHEN n RLIKE '^[0-9]{17}[0-9X]$'
     AND try_to_date(concat(substr(n, 7, 4), '-', substr(n, 11, 2), '-', substr(n, 13, 2)), 'yyyy-MM-dd')
         BETWEEN DATE '1850-01-01' AND current_date()
        THEN try_to_date(concat(substr(n, 7, 4), '-', substr(n, 11, 2), '-', substr(n, 13, 2)), 'yyyy-MM-dd')
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_birth_date(s STRING) RETURNS DATE RETURN
    default.cl__ric_birth_date_n(default.cl_ric_normalize(s)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__ric_sex_n(n STRING) RETURNS STRING RETURN CASE
    WHEN n RLIKE '^[0-9]{17}[0-9X]$' THEN CASE WHEN CAST(substr(n, 17, 1) AS INT) % 2 = 1 THEN '1' ELSE '2' END
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_sex(s STRING) RETURNS STRING RETURN default.cl__ric_sex_n(default.cl_ric_normalize(s)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__ric_reason_n(n STRING) RETURNS STRING RETURN CASE
    WHEN n IS NULL THEN NULL
    WHEN length(n) <> 18 THEN 'length'
    WHEN NOT n RLIKE '^[0-9]{17}[0-9X]$' THEN 'format'
    WHEN default.cl__ric_check_char(n) <> substr(n, 18, 1) THEN 'check_char'
    WHEN default.cl__ric_birth_date_n(n) IS NULL THEN 'birth_date'
    WHEN NOT EXISTS (SELECT 1 FROM default.cl_ric_divisions AS d WHERE d.code = substr(n, 1, 6)) THEN 'division'
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_reason(s STRING) RETURNS STRING RETURN default.cl__ric_reason_n(default.cl_ric_normalize(s)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl_ric_normalize(s) IS NOT NULL THEN default.cl_ric_reason(s) IS NULL
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_ric_crosscheck(s STRING, birth_date STRING, sex_code STRING) RETURNS STRING RETURN CASE
    WHEN default.cl_ric_birth_date(s) IS NOT NULL AND default.cl_parse_date(birth_date) IS NOT NULL
     AND default.cl_ric_birth_date(s) <> default.cl_parse_date(birth_date) THEN 'birth_date_mismatch'
    WHEN default.cl_ric_sex(s) IS NOT NULL AND default.cl_clean(sex_code) IN ('1', '2')
     AND default.cl_ric_sex(s) <> default.cl_clean(sex_code) THEN 'sex_mismatch'
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_uscc_normalize(s STRING) RETURNS STRING RETURN
    translate(replace(default.cl_clean(s), ' ', ''), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__uscc_check_char(n STRING) RETURNS STRING RETURN substr('0123456789ABCDEFGHJKLMNPQRTUWXY', CAST((31 - (
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 1, 1)) - 1) * 1 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 2, 1)) - 1) * 3 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 3, 1)) - 1) * 9 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 4, 1)) - 1) * 27 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 5, 1)) - 1) * 19 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 6, 1)) - 1) * 26 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 7, 1)) - 1) * 16 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 8, 1)) - 1) * 17 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 9, 1)) - 1) * 20 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 10, 1)) - 1) * 29 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 11, 1)) - 1) * 25 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 12, 1)) - 1) * 13 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 13, 1)) - 1) * 8 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 14, 1)) - 1) * 24 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 15, 1)) - 1) * 10 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 16, 1)) - 1) * 30 + (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 17, 1)) - 1) * 28
    ) % 31) % 31 AS INT) + 1, 1){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__org_check_char(b STRING) RETURNS STRING RETURN substr('0123456789X0', 11 - CAST((
        (ascii(substr(b, 1, 1)) - 48 - 7 * CAST(substr(b, 1, 1) >= 'A' AS INT)) * 3 +
        (ascii(substr(b, 2, 1)) - 48 - 7 * CAST(substr(b, 2, 1) >= 'A' AS INT)) * 7 +
        (ascii(substr(b, 3, 1)) - 48 - 7 * CAST(substr(b, 3, 1) >= 'A' AS INT)) * 9 +
        (ascii(substr(b, 4, 1)) - 48 - 7 * CAST(substr(b, 4, 1) >= 'A' AS INT)) * 10 +
        (ascii(substr(b, 5, 1)) - 48 - 7 * CAST(substr(b, 5, 1) >= 'A' AS INT)) * 5 +
        (ascii(substr(b, 6, 1)) - 48 - 7 * CAST(substr(b, 6, 1) >= 'A' AS INT)) * 8 +
        (ascii(substr(b, 7, 1)) - 48 - 7 * CAST(substr(b, 7, 1) >= 'A' AS INT)) * 4 +
        (ascii(substr(b, 8, 1)) - 48 - 7 * CAST(substr(b, 8, 1) >= 'A' AS INT)) * 2
    ) % 11 AS INT) + 1, 1){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_org_code_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl_clean(s) IS NOT NULL THEN
        upper(replace(default.cl_clean(s), '-', '')) RLIKE '^[0-9A-Z]{8}[0-9X]$'
        AND default.cl__org_check_char(upper(replace(default.cl_clean(s), '-', ''))) = substr(upper(replace(default.cl_clean(s), '-', '')), 9, 1)
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__uscc_reason_n(n STRING) RETURNS STRING RETURN CASE
    WHEN n IS NULL THEN NULL
    WHEN length(n) <> 18 THEN 'length'
    WHEN NOT n RLIKE '^[0-9A-HJ-NP-RTUWXY]{18}$' THEN 'charset'
    WHEN NOT n RLIKE '^[1-9ANY][1-9][0-9]{6}.{10}$' THEN 'format'
    WHEN default.cl__uscc_check_char(n) <> substr(n, 18, 1) THEN 'check_char'
    WHEN default.cl__org_check_char(substr(n, 9, 8)) <> substr(n, 17, 1) THEN 'org_code'
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_uscc_reason(s STRING) RETURNS STRING RETURN default.cl__uscc_reason_n(default.cl_uscc_normalize(s)){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_uscc_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl_uscc_normalize(s) IS NOT NULL THEN default.cl_uscc_reason(s) IS NULL
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl__phone_text(s STRING) RETURNS STRING RETURN replace(default.cl_clean(s), ' ', ''){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_mobile_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl__phone_text(s) IS NOT NULL THEN default.cl__phone_text(s) RLIKE '^(?:[+]?86|0086)?-?(1[3-9][0-9]{9})$'
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_fixed_phone_valid(s STRING) RETURNS BOOLEAN RETURN CASE
    WHEN default.cl__phone_text(s) IS NOT NULL THEN default.cl__phone_text(s)
        RLIKE '^[(]?(010|02[0-9]|0[3-9][0-9]{2})[)]?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?$'
END{% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_phone_valid(s STRING) RETURNS BOOLEAN RETURN
    default.cl_mobile_valid(s) OR default.cl_fixed_phone_valid(s){% endraw %}{% endset %}{% do out.append(s) %}
{% set s %}{% raw %}CREATE OR REPLACE FUNCTION default.cl_phone_normalize(s STRING) RETURNS STRING RETURN CASE
    WHEN default.cl_mobile_valid(s) THEN regexp_extract(default.cl__phone_text(s), '^(?:[+]?86|0086)?-?(1[3-9][0-9]{9})$', 1)
    WHEN default.cl_fixed_phone_valid(s) THEN concat(
        regexp_extract(default.cl__phone_text(s), '^[(]?(010|02[0-9]|0[3-9][0-9]{2})[)]?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?$', 1),
        '-', regexp_extract(default.cl__phone_text(s), '^[(]?(010|02[0-9]|0[3-9][0-9]{2})[)]?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?$', 2),
        coalesce(concat('-', nullif(regexp_extract(default.cl__phone_text(s),
            '^[(]?(010|02[0-9]|0[3-9][0-9]{2})[)]?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?$', 3), '')), ''))
END{% endraw %}{% endset %}{% do out.append(s) %}
{{ return(out) }}
{%- endmacro %}

{#- The lookup tables over the directory holding cl_codes.parquet (standards.macros_spark.write_codes). -#}
{% macro spark_standard_lookups(codes_dir) -%}
{%- set out = [] -%}
{%- for s in ["DROP TABLE IF EXISTS default.cl_codes", "CREATE TABLE default.cl_codes USING parquet LOCATION '{codes_dir}'", "DROP TABLE IF EXISTS default.cl_ric_divisions", "CREATE TABLE default.cl_ric_divisions USING parquet AS SELECT DISTINCT code FROM default.cl_codes WHERE codeset = 'ric_divisions'"] -%}{% do out.append(s | replace('{codes_dir}', codes_dir)) %}{%- endfor -%}
{{ return(out) }}
{%- endmacro %}
