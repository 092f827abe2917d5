{{ config(**night_incremental('dt')) }}
-- 智慧交通 Transport: bus boardings per night, bus line, boarding township and card type.
with

trips as (

    select * from {{ ref('stg_transport__bus_trips') }}
    where {{ night_filter('dt') }}

),

final as (

    select
        dt,
        bus_line_code,
        coalesce(township_code, 'unknown')               as township_code,
        substr(coalesce(township_code, 'unknown'), 1, 6) as county_code,
        card_type,
        count(*)                                         as boarding_count
    from trips
    group by dt, bus_line_code, coalesce(township_code, 'unknown'), card_type

)

select * from final
