-- The objections (数据纠错) to a provider department's data: every open one, and those resolved in [since, until).
select objection_id, department, resource_code, record_key, field, claimed_value, status, created_at, resolved_at
from objections
where provider = :provider
  and (status = 'open' or (resolved_at >= :since and resolved_at < :until))
order by status, created_at, objection_id
