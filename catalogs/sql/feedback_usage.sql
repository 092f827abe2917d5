-- Who used a provider department's data (谁使用了本部门数据): the service's exchange log (metadata DB,
-- SQLite or PostgreSQL) by consumer department, app, dataset and purpose header, over [since, until).
select l.department, l.client_id, a.name as app_name, l.dataset, l.purpose,
       count(*) as calls,
       sum(case when l.status < 400 then 0 else 1 end) as refused,
       coalesce(sum(case when l.status < 400 then l.rows else 0 end), 0) as rows_served,
       min(l.at) as first_call, max(l.at) as last_call
from exchange_log l
left join apps a on a.client_id = l.client_id
where l.dataset in :codes and l.at >= :since and l.at < :until
group by l.department, l.client_id, a.name, l.dataset, l.purpose
order by l.department, l.client_id, l.dataset, l.purpose
