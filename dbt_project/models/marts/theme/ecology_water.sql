{{ config(**night_incremental('dt')) }}
-- 智慧生态与水利 Ecology and water: daily air quality per monitoring station (ecology_air_quality).
with

air as (

    select * from {{ ref('stg_ecology__air_quality') }}
    where {{ night_filter('dt') }} and station_id is not null

),

final as (

    select
        dt,
        station_id,
        cast(observed_at as date)          as observed_on,
        min(township_code)                 as township_code,
        substr(min(township_code), 1, 6)   as county_code,
        count(*)                           as observation_count,
        avg(aqi)                           as mean_aqi,
        max(aqi)                           as max_aqi,
        avg(pm25)                          as mean_pm25,
        avg(pm10)                          as mean_pm10,
        sum(case when aqi > 100 then 1 else 0 end) as polluted_hour_count
    from air
    group by dt, station_id, cast(observed_at as date)

)

select * from final
