{{ config(**night_incremental('incident_id')) }}
-- 智慧应急 Emergency: one row per incident (emergency_incidents) with response time, casualties and loss.
with

incidents as (

    select * from {{ ref('stg_emergency__incidents') }}
    where {{ night_filter('dt') }} and incident_id is not null

),

latest as (

    select *
    from (
        select *, row_number() over (partition by incident_id order by dt desc) as delivery_rank
        from incidents
    ) as ranked
    where delivery_rank = 1

),

final as (

    select
        incident_id,
        incident_type,
        township_code,
        substr(township_code, 1, 6)                          as county_code,
        occurred_at,
        cast(occurred_at as date)                            as occurred_on,
        handled_at,
        cast({{ date_diff_boundaries('minute', 'occurred_at', 'handled_at') }} as double)
            / 60                                             as hours_to_handle,
        coalesce(casualties, 0)                              as casualties,
        economic_loss_cny,
        dt
    from latest

)

select * from final
