-- Incremental read of a department's table for one night: the rows after the last landed
-- watermark and inside the night, plus the rows that cannot be placed in a night (watermark
-- missing, not a date-time, or after the night), flagged in _wm_problem for quarantine.
-- $1 = database file, $2 = table, $3 = the day after the night (exclusive end of the night),
-- $4 = the high-water mark of the latest later night landed (NULL if none)
{%- if has_low %}, then the lower bound (exclusive){% endif %}{% if has_high %}, then the upper bound (inclusive){% endif %}.
-- Rows after the night are read unless a later landed night has taken them (watermark <= $4):
-- re-running a night reads the same rows. Ordered in Polars (by every column: ties too).
with scanned as (
    select *,
           case
               when nullif(trim({{ watermark | ident }}), '') is null then 'missing'
               when try_cast({{ watermark | ident }} as timestamp) is null then 'unparseable'
               when try_cast({{ watermark | ident }} as timestamp) >= cast($3 as timestamp) then 'future'
           end as _wm_problem
    from sqlite_scan($1, $2)
)
select *
from scanned
where (_wm_problem is null
{%- set n = namespace(i=5) %}
{%- if has_low %}
       and {{ watermark | ident }} > ${{ n.i }}{% set n.i = n.i + 1 %}
{%- endif %}
{%- if has_high %}
       and {{ watermark | ident }} <= ${{ n.i }}
{%- endif %}
      )
   or _wm_problem in ('missing', 'unparseable')
   or (_wm_problem = 'future' and ($4::varchar is null or {{ watermark | ident }} > $4))
