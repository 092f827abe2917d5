-- Incremental read of a department's table: only rows after the last landed watermark.
-- $1 = database file, $2 = table{% if has_low %}, then the lower bound (exclusive){% endif %}{% if has_high %}, then the upper bound (inclusive){% endif %}.
select *
from sqlite_scan($1, $2)
where {{ watermark | ident }} is not null
{%- set n = namespace(i=3) %}
{%- if has_low %}
  and {{ watermark | ident }} > ${{ n.i }}{% set n.i = n.i + 1 %}
{%- endif %}
{%- if has_high %}
  and {{ watermark | ident }} <= ${{ n.i }}
{%- endif %}
order by {{ watermark | ident }}
