-- Exchanges of one night by kind (for the nightly summary and `citylake status`).
select kind, count(*) as exchanges, coalesce(sum(rows), 0)::bigint as rows,
       count(*) filter (where gate_result in ('blocked', 'refused', 'failed')) as refused_or_failed
from catalog.exchange_log
where night = $night::date
group by kind
order by kind
