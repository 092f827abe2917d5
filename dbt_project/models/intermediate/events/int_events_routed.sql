-- Event routing (cmc_events + cmc_event_routing): per event the departments it passed through,
-- in step order, the time to the first action and the time to closure.
with

events as (

    select * from {{ ref('stg_cmc__events') }}

),

routing as (

    select * from {{ ref('stg_cmc__event_routing') }}

),

latest_events as (

    select event_id, event_channel, event_category, township_code, reported_at, dt
    from (
        select *, row_number() over (partition by event_id order by dt desc) as delivery_rank
        from events
    ) as ranked
    where delivery_rank = 1

),

steps as (

    select event_id, step_no, department_id, routing_action, action_at
    from (
        select *, row_number() over (partition by event_id, step_no order by dt desc) as delivery_rank
        from routing
    ) as ranked
    where delivery_rank = 1

),

per_event as (

    select
        event_id,
        count(*)                                                      as step_count,
        count(distinct department_id)                                 as department_count,
        {{ ordered_string_agg('department_id', "'>'", 'step_no') }}   as department_path,
        min(action_at)                                                as first_action_at,
        max(case when routing_action = 'close' then action_at end)    as closed_at
    from steps
    group by event_id

),

final as (

    select
        latest_events.event_id,
        latest_events.event_channel,
        latest_events.event_category,
        latest_events.township_code,
        latest_events.reported_at,
        per_event.department_path,
        coalesce(per_event.step_count, 0)                                          as step_count,
        coalesce(per_event.department_count, 0)                                    as department_count,
        per_event.first_action_at,
        per_event.closed_at,
        per_event.closed_at is not null                                            as is_closed,
        {{ date_diff_boundaries('minute', 'latest_events.reported_at', 'per_event.first_action_at') }}
                                                                                   as minutes_to_first_action,
        cast({{ date_diff_boundaries('minute', 'latest_events.reported_at', 'per_event.closed_at') }} as double) / 60
                                                                                   as hours_to_close,
        latest_events.dt
    from latest_events
    left join per_event on per_event.event_id = latest_events.event_id

)

select * from final
