-- citylake standards: DuckDB SQL macros (validators and normalisers), prefix cl_.
--
-- Installed on every connection by standards.macros.install_macros(conn) (called by
-- citylake.core.db.connect and the dbt plugin). They are TEMP macros: they live in the
-- connection's `temp` catalog, which stays on the search path after `USE lake`.
-- Lookups read two temp tables that install_macros loads first from the code-set
-- CSVs (standards/codesets/*.csv):
--   temp.main.cl_codes          (codeset, code, name_zh, parent)  every code set, long format
--   temp.main.cl_ric_divisions  (code)                            division codes valid in ID numbers
-- Every macro is mirrored by a Python function in standards/validators.py with the
-- same semantics; tests/standards keep the two in sync.
-- Convention: a NULL or blank input gives NULL (not judged); completeness is a
-- separate check.

-- ---------------------------------------------------------------- text
-- Full-width ASCII variants U+FF01..U+FF5E and the ideographic space U+3000 -> half-width.
-- (translate() is costly per row, so it only runs on values that contain such a character.)
CREATE OR REPLACE TEMP MACRO cl_halfwidth(s) AS CASE
    WHEN regexp_matches(CAST(s AS VARCHAR), '[！-～　]')
        THEN translate(CAST(s AS VARCHAR), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')
    ELSE CAST(s AS VARCHAR)
END;
-- Half-width, trim spaces/tabs/newlines/no-break spaces, blank -> NULL.
CREATE OR REPLACE TEMP MACRO cl_clean(s) AS
    nullif(trim(cl_halfwidth(s), ' ' || chr(9) || chr(10) || chr(13) || chr(160)), '');

-- ---------------------------------------------------------------- dates and times
-- Text of a date/time in the shapes departments send, normalised to 'Y-M-D[ H:M[:S[.f]]]'
-- ('2023年10月19日 8时30分' -> '2023-10-19  8:30', '2023/10/19', '2023.10.19').
-- Plain replace() is used where possible: regexp_replace per row is the expensive part.
CREATE OR REPLACE TEMP MACRO cl__datetime_text1(t) AS regexp_replace(
    replace(replace(replace(replace(replace(replace(replace(t,
        '年', '-'), '月', '-'), '/', '-'), '日', ' '), '时', ':'), '分', ':'), '秒', ''),
    '^([12][0-9]{3})\.([0-9]{1,2})\.([0-9]{1,2})', '\1-\2-\3');
CREATE OR REPLACE TEMP MACRO cl__datetime_text2(t) AS
    trim(CASE WHEN ends_with(t, ':') THEN left(t, length(t) - 1) ELSE t END);
CREATE OR REPLACE TEMP MACRO cl__datetime_text(s) AS cl__datetime_text2(cl__datetime_text1(cl_clean(s)));

-- Parts (y, m, d, hh, mi, ss, ff) of a date/time text; y = '' when it has none of the accepted shapes:
--   separated: 2023-10-19, 2023-1-9, 2023-10-19 08:30, 2023-10-19T08:30:15.123
--   compact:   20231019, 202310190830, 20231019083015
CREATE OR REPLACE TEMP MACRO cl__datetime_parts1(t) AS regexp_extract(t,
    '^([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:\.([0-9]{1,6}))?)?)?$',
    ['y', 'm', 'd', 'hh', 'mi', 'ss', 'ff']);
CREATE OR REPLACE TEMP MACRO cl__datetime_parts2(t) AS regexp_extract(t,
    '^([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?()$',
    ['y', 'm', 'd', 'hh', 'mi', 'ss', 'ff']);
-- list_transform([x], lambda v: ...)[1] binds x once (a macro argument is otherwise re-evaluated at every use).
CREATE OR REPLACE TEMP MACRO cl__datetime_parts(t) AS
    list_transform([cl__datetime_parts1(t)], lambda a: CASE WHEN a.y <> '' THEN a ELSE cl__datetime_parts2(t) END)[1];

CREATE OR REPLACE TEMP MACRO cl__timestamp_from_parts(p) AS CASE WHEN p.y <> '' THEN
    try_strptime(
        p.y || '-' || p.m || '-' || p.d || ' '
            || coalesce(nullif(p.hh, ''), '0') || ':' || coalesce(nullif(p.mi, ''), '0') || ':'
            || coalesce(nullif(p.ss, ''), '0'),
        '%Y-%m-%d %H:%M:%S')
    + to_microseconds(coalesce(CAST(nullif(rpad(p.ff, 6, '0'), '000000') AS BIGINT), 0))
END;

-- Timestamp from text: '2023-10-19 08:30:15', '2023/10/19 8:30', '20231019083015',
-- '2023年10月19日 08时30分' (full-width digits too); a date alone gives midnight; NULL if unparseable.
CREATE OR REPLACE TEMP MACRO cl__parse_timestamp_c(c) AS CASE
    -- fast paths for the shapes most feeds send; same results as the general path
    WHEN regexp_full_match(c, '[12][0-9]{3}[-/][0-9]{2}[-/][0-9]{2}(?: (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?')
        THEN TRY_CAST(replace(c, '/', '-') AS TIMESTAMP)
    WHEN regexp_full_match(c, '[12][0-9]{7}') THEN try_strptime(c, '%Y%m%d')
    ELSE list_transform([cl__datetime_parts(cl__datetime_text2(cl__datetime_text1(c)))],
                        lambda p: cl__timestamp_from_parts(p))[1]
END;
-- (the cleaned text is bound once: see cl_ric_birth_date on why)
CREATE OR REPLACE TEMP MACRO cl_parse_timestamp(s) AS list_transform([cl_clean(s)], lambda c: cl__parse_timestamp_c(c))[1];

-- Date from text: '2023-10-19', '2023/10/19', '20231019', '2023年10月19日', '２０２３-１０-１９';
-- a time part, if any, is accepted and dropped; NULL if unparseable or not a real date.
CREATE OR REPLACE TEMP MACRO cl_parse_date(s) AS CAST(cl_parse_timestamp(s) AS DATE);

-- ---------------------------------------------------------------- numbers, flags
-- Number from text: optional sign, thousands separators ',' and a trailing 元 allowed; NULL otherwise.
CREATE OR REPLACE TEMP MACRO cl_parse_number(s) AS CASE
    WHEN regexp_full_match(regexp_replace(cl_clean(s), '[,元]', '', 'g'), '[+-]?[0-9]+(\.[0-9]+)?')
        THEN TRY_CAST(regexp_replace(cl_clean(s), '[,元]', '', 'g') AS DOUBLE)
END;

-- Boolean flag from 是/否, 1/0, Y/N, true/false (any case); NULL otherwise.
CREATE OR REPLACE TEMP MACRO cl_parse_bool(s) AS CASE
    WHEN lower(cl_clean(s)) IN ('是', '1', 'y', 'yes', 't', 'true') THEN true
    WHEN lower(cl_clean(s)) IN ('否', '0', 'n', 'no', 'f', 'false') THEN false
END;

-- ---------------------------------------------------------------- code sets
-- Whether a value is a code of the named code set (standards/codesets/<name>.csv).
CREATE OR REPLACE TEMP MACRO cl_in_codeset(set_name, value) AS CASE
    WHEN cl_clean(value) IS NOT NULL THEN EXISTS (
        SELECT 1 FROM temp.main.cl_codes AS c WHERE c.codeset = set_name AND c.code = cl_clean(value))
END;

-- Chinese name of a code (NULL when unknown).
CREATE OR REPLACE TEMP MACRO cl_code_name(set_name, value) AS (
    SELECT any_value(c.name_zh) FROM temp.main.cl_codes AS c WHERE c.codeset = set_name AND c.code = cl_clean(value));

-- GB/T 2260 division code (6 digits; Deyang townships 9 digits) in the 2023 list.
CREATE OR REPLACE TEMP MACRO cl_division_valid(s) AS cl_in_codeset('admin_divisions', s);

-- GB/T 4754-2017 industry code: a division (2 digits) optionally with group/class digits (3-4 digits)
-- whose division exists.
CREATE OR REPLACE TEMP MACRO cl_industry_valid(s) AS CASE
    WHEN cl_clean(s) IS NOT NULL THEN
        regexp_full_match(cl_clean(s), '[0-9]{2,4}') AND cl_in_codeset('industry', substr(cl_clean(s), 1, 2))
END;

-- Section letter (门类, A-T) of an industry code.
CREATE OR REPLACE TEMP MACRO cl_industry_section(s) AS CASE
    WHEN cl_industry_valid(s) THEN (
        SELECT any_value(c.parent) FROM temp.main.cl_codes AS c
        WHERE c.codeset = 'industry' AND c.code = substr(cl_clean(s), 1, 2))
END;

-- ---------------------------------------------------------------- resident ID number (GB 11643)
-- Half-width, trimmed, inner spaces removed, lowercase x -> X.
CREATE OR REPLACE TEMP MACRO cl_ric_normalize(s) AS replace(replace(cl_clean(s), ' ', ''), 'x', 'X');

-- Check character of the first 17 digits: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2.
CREATE OR REPLACE TEMP MACRO cl__ric_check_char(n) AS substr('10X98765432', CAST((
        (ascii(substr(n, 1, 1)) - 48) * 7 + (ascii(substr(n, 2, 1)) - 48) * 9 + (ascii(substr(n, 3, 1)) - 48) * 10 +
        (ascii(substr(n, 4, 1)) - 48) * 5 + (ascii(substr(n, 5, 1)) - 48) * 8 + (ascii(substr(n, 6, 1)) - 48) * 4 +
        (ascii(substr(n, 7, 1)) - 48) * 2 + (ascii(substr(n, 8, 1)) - 48) * 1 + (ascii(substr(n, 9, 1)) - 48) * 6 +
        (ascii(substr(n, 10, 1)) - 48) * 3 + (ascii(substr(n, 11, 1)) - 48) * 7 + (ascii(substr(n, 12, 1)) - 48) * 9 +
        (ascii(substr(n, 13, 1)) - 48) * 10 + (ascii(substr(n, 14, 1)) - 48) * 5 + (ascii(substr(n, 15, 1)) - 48) * 8 +
        (ascii(substr(n, 16, 1)) - 48) * 4 + (ascii(substr(n, 17, 1)) - 48) * 2
    ) % 11 AS INTEGER) + 1, 1);

-- Birth date encoded in an ID number (digits 7-14): a real date between 1850-01-01 and today, else NULL.
CREATE OR REPLACE TEMP MACRO cl__ric_date(n) AS
    TRY_CAST(substr(n, 7, 4) || '-' || substr(n, 11, 2) || '-' || substr(n, 13, 2) AS DATE);
-- (list_transform([x], lambda n: ...)[1] binds the normalised value once: a macro argument is
-- otherwise expanded, and cleaned again, at every use — the cost of these validators at scale.)
CREATE OR REPLACE TEMP MACRO cl__ric_birth_date_n(n) AS CASE
    WHEN regexp_full_match(n, '[0-9]{17}[0-9X]') AND cl__ric_date(n) BETWEEN DATE '1850-01-01' AND current_date
        THEN cl__ric_date(n)
END;
CREATE OR REPLACE TEMP MACRO cl_ric_birth_date(s) AS
    list_transform([cl_ric_normalize(s)], lambda n: cl__ric_birth_date_n(n))[1];

-- Sex encoded in an ID number (digit 17: odd = '1' male, even = '2' female), GB/T 2261.1 codes.
CREATE OR REPLACE TEMP MACRO cl__ric_sex_n(n) AS CASE
    WHEN regexp_full_match(n, '[0-9]{17}[0-9X]')
        THEN CASE WHEN CAST(substr(n, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END
END;
CREATE OR REPLACE TEMP MACRO cl_ric_sex(s) AS list_transform([cl_ric_normalize(s)], lambda n: cl__ric_sex_n(n))[1];

-- Why an ID number is invalid: 'length' | 'format' | 'check_char' | 'birth_date' | 'division'; NULL when valid or blank.
-- The shape (length .. birth date) is judged on the normalised value bound once; the division
-- lookup (a subquery, which a lambda cannot hold) only decides rows whose shape is right.
CREATE OR REPLACE TEMP MACRO cl__ric_shape_reason(n) AS CASE
    WHEN n IS NULL THEN NULL
    WHEN length(n) <> 18 THEN 'length'
    WHEN NOT regexp_full_match(n, '[0-9]{17}[0-9X]') THEN 'format'
    WHEN cl__ric_check_char(n) <> substr(n, 18, 1) THEN 'check_char'
    WHEN cl__ric_birth_date_n(n) IS NULL THEN 'birth_date'
END;
CREATE OR REPLACE TEMP MACRO cl_ric_reason(s) AS coalesce(
    list_transform([cl_ric_normalize(s)], lambda n: cl__ric_shape_reason(n))[1],
    CASE WHEN cl_ric_normalize(s) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM temp.main.cl_ric_divisions AS d WHERE d.code = substr(cl_ric_normalize(s), 1, 6))
        THEN 'division' END);

-- Valid ID number: length, format, check character, real birth date, division code that exists or once existed.
CREATE OR REPLACE TEMP MACRO cl_ric_valid(s) AS CASE
    WHEN cl_ric_normalize(s) IS NOT NULL THEN cl_ric_reason(s) IS NULL
END;

-- Cross-check an ID number against separately delivered birth date and sex code:
-- 'birth_date_mismatch' | 'sex_mismatch', NULL when consistent (or not comparable).
CREATE OR REPLACE TEMP MACRO cl_ric_crosscheck(s, birth_date, sex_code) AS list_transform(
    [{'n': cl_ric_normalize(s), 'b': cl_parse_date(birth_date), 'x': cl_clean(sex_code)}], lambda r: CASE
    WHEN cl__ric_birth_date_n(r.n) IS NOT NULL AND r.b IS NOT NULL
     AND cl__ric_birth_date_n(r.n) <> r.b THEN 'birth_date_mismatch'
    WHEN cl__ric_sex_n(r.n) IS NOT NULL AND r.x IN ('1', '2')
     AND cl__ric_sex_n(r.n) <> r.x THEN 'sex_mismatch'
END)[1];

-- ---------------------------------------------------------------- unified social credit code (GB 32100)
-- Half-width, trimmed, inner spaces removed, ASCII letters upper-cased.
CREATE OR REPLACE TEMP MACRO cl_uscc_normalize(s) AS
    translate(replace(cl_clean(s), ' ', ''), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');

-- Check character: alphabet 0-9 A-Y less I O S V Z, weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28,
-- check = 31 - (sum mod 31), 31 -> 0.
CREATE OR REPLACE TEMP MACRO cl__uscc_check_char(n) AS substr('0123456789ABCDEFGHJKLMNPQRTUWXY', CAST((31 - (
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 1, 1)) - 1) * 1 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 2, 1)) - 1) * 3 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 3, 1)) - 1) * 9 +
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 4, 1)) - 1) * 27 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 5, 1)) - 1) * 19 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 6, 1)) - 1) * 26 +
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 7, 1)) - 1) * 16 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 8, 1)) - 1) * 17 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 9, 1)) - 1) * 20 +
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 10, 1)) - 1) * 29 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 11, 1)) - 1) * 25 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 12, 1)) - 1) * 13 +
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 13, 1)) - 1) * 8 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 14, 1)) - 1) * 24 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 15, 1)) - 1) * 10 +
        (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 16, 1)) - 1) * 30 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(n, 17, 1)) - 1) * 28
    ) % 31) % 31 AS INTEGER) + 1, 1);

-- GB 11714 organisation code check character of 8 characters (0-9 -> 0-9, A-Z -> 10-35),
-- weights 3 7 9 10 5 8 4 2, C = 11 - (sum mod 11), 10 -> X, 11 -> 0.
-- (character value: digits 0-9, letters A=10 ... Z=35)
CREATE OR REPLACE TEMP MACRO cl__org_check_char(b) AS substr('0123456789X0', 11 - CAST((
        (ascii(substr(b, 1, 1)) - 48 - 7 * CAST(substr(b, 1, 1) >= 'A' AS INTEGER)) * 3 +
        (ascii(substr(b, 2, 1)) - 48 - 7 * CAST(substr(b, 2, 1) >= 'A' AS INTEGER)) * 7 +
        (ascii(substr(b, 3, 1)) - 48 - 7 * CAST(substr(b, 3, 1) >= 'A' AS INTEGER)) * 9 +
        (ascii(substr(b, 4, 1)) - 48 - 7 * CAST(substr(b, 4, 1) >= 'A' AS INTEGER)) * 10 +
        (ascii(substr(b, 5, 1)) - 48 - 7 * CAST(substr(b, 5, 1) >= 'A' AS INTEGER)) * 5 +
        (ascii(substr(b, 6, 1)) - 48 - 7 * CAST(substr(b, 6, 1) >= 'A' AS INTEGER)) * 8 +
        (ascii(substr(b, 7, 1)) - 48 - 7 * CAST(substr(b, 7, 1) >= 'A' AS INTEGER)) * 4 +
        (ascii(substr(b, 8, 1)) - 48 - 7 * CAST(substr(b, 8, 1) >= 'A' AS INTEGER)) * 2
    ) % 11 AS INTEGER) + 1, 1);

-- Valid GB 11714 organisation code (9 characters, e.g. '60003734-1' or '600037341').
CREATE OR REPLACE TEMP MACRO cl_org_code_valid(s) AS CASE
    WHEN cl_clean(s) IS NOT NULL THEN
        regexp_full_match(upper(replace(cl_clean(s), '-', '')), '[0-9A-Z]{8}[0-9X]')
        AND cl__org_check_char(upper(replace(cl_clean(s), '-', ''))) = substr(upper(replace(cl_clean(s), '-', '')), 9, 1)
END;

-- Why a USCC is invalid: 'length' | 'charset' | 'format' | 'check_char' | 'org_code'; NULL when valid or blank.
-- format: registering authority [1-9ANY], entity category [1-9], 6-digit division code.
CREATE OR REPLACE TEMP MACRO cl__uscc_reason_n(n) AS CASE
    WHEN n IS NULL THEN NULL
    WHEN length(n) <> 18 THEN 'length'
    WHEN NOT regexp_full_match(n, '[0-9A-HJ-NP-RTUWXY]{18}') THEN 'charset'
    WHEN NOT regexp_full_match(n, '[1-9ANY][1-9][0-9]{6}.{10}') THEN 'format'
    WHEN cl__uscc_check_char(n) <> substr(n, 18, 1) THEN 'check_char'
    WHEN cl__org_check_char(substr(n, 9, 8)) <> substr(n, 17, 1) THEN 'org_code'
END;
CREATE OR REPLACE TEMP MACRO cl_uscc_reason(s) AS
    list_transform([cl_uscc_normalize(s)], lambda n: cl__uscc_reason_n(n))[1];

CREATE OR REPLACE TEMP MACRO cl_uscc_valid(s) AS
    list_transform([cl_uscc_normalize(s)], lambda n: CASE WHEN n IS NOT NULL THEN cl__uscc_reason_n(n) IS NULL END)[1];

-- ---------------------------------------------------------------- phone numbers
-- Mobile: optional +86/0086/86 prefix, 1[3-9] + 9 digits. Fixed line: area code (010, 02x, 0[3-9]xx),
-- optional '-' or parentheses, 7-8 digit local number not starting with 0/1, optional extension (-123, 转123).
CREATE OR REPLACE TEMP MACRO cl__phone_text(s) AS regexp_replace(cl_clean(s), ' ', '', 'g');

CREATE OR REPLACE TEMP MACRO cl_mobile_valid(s) AS CASE
    WHEN cl__phone_text(s) IS NOT NULL THEN regexp_full_match(cl__phone_text(s), '(?:\+?86|0086)?-?(1[3-9][0-9]{9})')
END;

CREATE OR REPLACE TEMP MACRO cl_fixed_phone_valid(s) AS CASE
    WHEN cl__phone_text(s) IS NOT NULL THEN regexp_full_match(cl__phone_text(s),
        '\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?')
END;

CREATE OR REPLACE TEMP MACRO cl_phone_valid(s) AS cl_mobile_valid(s) OR cl_fixed_phone_valid(s);

-- Canonical phone: mobile -> 11 digits; fixed line -> 'area-local[-ext]'; NULL when not a phone number.
CREATE OR REPLACE TEMP MACRO cl_phone_normalize(s) AS CASE
    WHEN cl_mobile_valid(s) THEN regexp_extract(cl__phone_text(s), '(?:\+?86|0086)?-?(1[3-9][0-9]{9})', 1)
    WHEN cl_fixed_phone_valid(s) THEN
        regexp_extract(cl__phone_text(s), '\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?', 1)
        || '-' || regexp_extract(cl__phone_text(s), '\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?', 2)
        || coalesce('-' || nullif(regexp_extract(cl__phone_text(s),
            '\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?', 3), ''), '')
END;
