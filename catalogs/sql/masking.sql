-- Masking (脱敏) of personal information before anything leaves the restricted zone.
-- One macro per pii class (catalogs/policy.yml `masking`), plus a free-text scrubber and the
-- CSV formula-injection guard. All return VARCHAR; NULL stays NULL.

-- 510603********1237: division code and last four kept
create or replace temp macro cat_mask_id_number(s) as
    case when s is null then null
         when length(s::varchar) >= 10
             then left(s::varchar, 6) || repeat('*', length(s::varchar) - 10) || right(s::varchar, 4)
         else repeat('*', length(s::varchar)) end;

-- 张** : surname kept
create or replace temp macro cat_mask_name(s) as
    case when s is null then null
         else left(s::varchar, 1) || repeat('*', greatest(length(s::varchar) - 1, 1)) end;

-- 138****0001: operator prefix and last four kept
create or replace temp macro cat_mask_phone(s) as
    case when s is null then null
         when length(s::varchar) >= 7 then left(s::varchar, 3) || '****' || right(s::varchar, 4)
         else '****' end;

-- 旌阳区泰山北路*** : kept up to the road / village, house number and below removed
create or replace temp macro cat_mask_address(s) as
    case when s is null then null
         when regexp_matches(s::varchar, '^.*?(路|街|巷|道|村|社区|组)')
             then regexp_extract(s::varchar, '^(.*?(路|街|巷|道|村|社区|组))', 1) || '***'
         else left(s::varchar, 3) || '***' end;

-- year of birth only
create or replace temp macro cat_mask_birth_date(s) as
    case when s is null then null else strftime(try_cast(s as date), '%Y') end;

-- coordinates rounded to ~1 km
create or replace temp macro cat_mask_location(s) as
    case when s is null then null else round(try_cast(s as double), 2)::varchar end;

-- free text: ID numbers and mobile numbers replaced
create or replace temp macro cat_scrub_text(s) as
    case when s is null then null
         else regexp_replace(regexp_replace(s::varchar, '[0-9]{17}[0-9Xx]', '[身份证号已脱敏]', 'g'),
                             '1[3-9][0-9]{9}', '[手机号已脱敏]', 'g') end;

-- CSV/XLSX formula-injection guard: a cell starting with = + - @ TAB or CR gets a leading apostrophe
create or replace temp macro cat_csv_safe(s) as
    case when s is null then null
         when regexp_matches(s::varchar, '^[=+\-@\t\r]') then '''' || s::varchar
         else s::varchar end;
