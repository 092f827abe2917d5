-- GB 11643 check of an 18-character candidate (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
-- sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2) and a real birth date in digits 7-14.
create or replace temp macro cat_ric_ok(s) as
    regexp_full_match(s, '[0-9]{17}[0-9Xx]')
    and substr('10X98765432',
               (list_sum(list_transform(range(17),
                    i -> cast(substr(s, i + 1, 1) as integer)
                         * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i + 1])) % 11)::integer + 1, 1)
        = upper(substr(s, 18, 1))
    and try_strptime(substr(s, 7, 8), '%Y%m%d') is not null
    and substr(s, 7, 4)::integer between 1850 and 2100;
