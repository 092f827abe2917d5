-- What changed between the stored catalog and tonight's (new_entries, new_items): appended to catalog.history.
-- Parameters: $night (DATE).
insert into catalog.history
with
o as (unpivot (select resource_code,
                      coalesce(columns(c -> c not in ('resource_code', 'generated_on', 'row_count'))::varchar, '')
               from catalog.entries)
      on columns(* exclude (resource_code)) into name field value val),
n as (unpivot (select resource_code,
                      coalesce(columns(c -> c not in ('resource_code', 'generated_on', 'row_count'))::varchar, '')
               from new_entries)
      on columns(* exclude (resource_code)) into name field value val),
oi as (unpivot (select resource_code, column_name,
                       coalesce(columns(c -> c not in ('resource_code', 'column_name'))::varchar, '')
                from catalog.items)
       on columns(* exclude (resource_code, column_name)) into name field value val),
ni as (unpivot (select resource_code, column_name,
                       coalesce(columns(c -> c not in ('resource_code', 'column_name'))::varchar, '')
                from new_items)
       on columns(* exclude (resource_code, column_name)) into name field value val),
oe as (select resource_code, model from catalog.entries),
ne as (select resource_code, model from new_entries),
both_e as (select resource_code from oe semi join ne using (resource_code)),
oic as (select distinct resource_code, column_name from catalog.items where resource_code in (select resource_code from both_e)),
nic as (select distinct resource_code, column_name from new_items where resource_code in (select resource_code from both_e)),
changes as (
    select resource_code, 'added' as change, null as field, null as old_value, null as new_value
    from ne anti join oe using (resource_code)
    union all
    select resource_code, 'removed', null, null, null from oe anti join ne using (resource_code)
    union all
    select resource_code, 'changed', field, o.val, n.val
    from o join n using (resource_code, field) where o.val is distinct from n.val
    union all
    select resource_code, 'item_added', column_name, null, null from nic anti join oic using (resource_code, column_name)
    union all
    select resource_code, 'item_removed', column_name, null, null from oic anti join nic using (resource_code, column_name)
    union all
    select resource_code, 'item_changed', column_name || '.' || field, oi.val, ni.val
    from oi join ni using (resource_code, column_name, field) where oi.val is distinct from ni.val
)
select $night::date, current_timestamp::timestamp, c.resource_code,
       coalesce(ne.model, oe.model), c.change, c.field, c.old_value, c.new_value
from changes c
left join ne using (resource_code)
left join oe using (resource_code)
order by c.resource_code, c.change, c.field
