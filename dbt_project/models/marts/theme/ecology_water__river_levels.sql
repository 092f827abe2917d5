{{ config(**night_incremental('dt')) }}
-- 智慧生态与水利·水位 Daily river levels per hydrological station, and readings above the warning level.
with

levels as (

    select * from {{ ref('stg_water__river_levels') }}
    where {{ night_filter('dt') }} and station_id is not null

),

final as (

    select
        dt,
        station_id,
        cast(observed_at as date)                                     as observed_on,
        min(river_name)                                               as river_name,
        min(township_code)                                            as township_code,
        substr(min(township_code), 1, 6)                              as county_code,
        count(*)                                                      as observation_count,
        max(water_level_m)                                            as max_water_level_m,
        min(warning_level_m)                                          as warning_level_m,
        sum(case when water_level_m >= warning_level_m then 1 else 0 end) as above_warning_count
    from levels
    group by dt, station_id, cast(observed_at as date)

)

select * from final
