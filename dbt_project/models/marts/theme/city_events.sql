{{ config(**night_incremental('event_id')) }}
-- 城市事件 City events: one row per event (12345 hotline, grid, city management, emergency, online)
-- with its routing across departments and its time to first action and to closure.
-- A night processes the events delivered that night and the events that received routing steps
-- that night (late steps update older events); delete+insert by event_id keeps re-runs idempotent.
with

routed as (

    select * from {{ ref('int_events_routed') }}

),

routing as (

    select * from {{ ref('stg_cmc__event_routing') }}

),

touched as (

    select event_id from routed where {{ night_filter('dt') }}
    union
    select event_id from routing where {{ night_filter('dt') }}

),

final as (

    select
        routed.event_id,
        routed.event_channel,
        routed.event_category,
        routed.township_code,
        substr(routed.township_code, 1, 6) as county_code,
        routed.reported_at,
        cast(routed.reported_at as date)   as reported_on,
        routed.department_path,
        routed.step_count,
        routed.department_count,
        routed.first_action_at,
        routed.closed_at,
        routed.is_closed,
        routed.minutes_to_first_action,
        routed.hours_to_close,
        routed.dt
    from routed
    inner join touched on touched.event_id = routed.event_id

)

select * from final
