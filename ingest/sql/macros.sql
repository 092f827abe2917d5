-- Ingest's fallback validators. The standards module owns the canonical cl_* macros
-- (standards/macros.sql); ingest calls cl_clean / cl_parse_date / cl_parse_timestamp /
-- cl_ric_valid / cl_uscc_valid when they exist on the connection and falls back to
-- these ingest_* equivalents otherwise (see ingest/checks.py).

-- full-width -> half-width for digits, Latin letters, space and common punctuation; trim.
-- (DuckDB's translate() is slow on long maps; on the hot path ingest does the same
-- cleaning in Polars, `ingest.checks.clean_expr`, and uses this macro only in SQL.)
create or replace macro ingest_clean(x) as nullif(trim(translate(x,
    '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ　－／．：，',
    '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -/.:,')), '');

-- the parse/validate macros below expect a cleaned value (see ingest_clean)
create or replace macro ingest_parse_date(x) as
    try_strptime(trim(x), ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y年%m月%d日', '%Y.%m.%d'])::date;

create or replace macro ingest_parse_timestamp(x) as coalesce(
    try_strptime(trim(x), ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d %H:%M:%S',
                                   '%Y-%m-%d %H:%M', '%Y%m%d%H%M%S']),
    try_cast(trim(x) as timestamp));

create or replace macro ingest_is_number(x) as try_cast(replace(trim(x), ',', '') as double) is not null;

create or replace macro ingest_is_integer(x) as try_cast(trim(x) as bigint) is not null;

-- GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> '10X98765432'
-- (written out term by term: lambdas over a column are slow in DuckDB)
create or replace macro ingest_ric_valid(x) as coalesce(
    regexp_full_match(upper(x), '[0-9]{17}[0-9X]')
    and substr('10X98765432', cast((
        try_cast(substr(x, 1, 1) as integer) * 7 + try_cast(substr(x, 2, 1) as integer) * 9 + try_cast(substr(x, 3, 1)
        as integer) * 10 + try_cast(substr(x, 4, 1) as integer) * 5 + try_cast(substr(x, 5, 1) as integer) * 8 +
        try_cast(substr(x, 6, 1) as integer) * 4 + try_cast(substr(x, 7, 1) as integer) * 2 + try_cast(substr(x, 8, 1)
        as integer) * 1 + try_cast(substr(x, 9, 1) as integer) * 6 + try_cast(substr(x, 10, 1) as integer) * 3 +
        try_cast(substr(x, 11, 1) as integer) * 7 + try_cast(substr(x, 12, 1) as integer) * 9 + try_cast(substr(x, 13,
        1) as integer) * 10 + try_cast(substr(x, 14, 1) as integer) * 5 + try_cast(substr(x, 15, 1) as integer) * 8 +
        try_cast(substr(x, 16, 1) as integer) * 4 + try_cast(substr(x, 17, 1) as integer) * 2
    ) % 11 as bigint) + 1, 1) = upper(substr(x, 18, 1)),
    false);

-- GB 32100: 31-character set without I O S V Z; check = 31 - (sum mod 31), 31 -> 0
create or replace macro ingest_uscc_valid(x) as coalesce(
    regexp_full_match(x, '[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}')
    and (31 - (
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 1, 1)) - 1) * 1 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 2, 1)) - 1) * 3 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 3, 1)) - 1) * 9 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 4, 1)) - 1) * 27 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 5, 1)) - 1) * 19 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 6, 1)) - 1) * 26 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 7, 1)) - 1) * 16 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 8, 1)) - 1) * 17 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 9, 1)) - 1) * 20 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 10, 1)) - 1) * 29 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 11, 1)) - 1) * 25 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 12, 1)) - 1) * 13 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 13, 1)) - 1) * 8 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 14, 1)) - 1) * 24 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 15, 1)) - 1) * 10 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 16, 1)) - 1) * 30 +
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 17, 1)) - 1) * 28
    ) % 31) % 31 = instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, 18, 1)) - 1,
    false);
