insert into catalog.exchange_log
select unnest($exchange_id), unnest($recorded_at)::timestamp, unnest($night)::date, unnest($kind), unnest($dataset),
       unnest($who), unnest($what), unnest($rows)::bigint, unnest($content_hash), unnest($gate_result),
       unnest($detail)
