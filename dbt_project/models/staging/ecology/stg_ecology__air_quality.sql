-- Air-quality observations / 空气质量监测数据 (ecology_air_quality): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('ecology_air_quality') }}

),

renamed as (

    select
        cl_clean(station_id)             as station_id,
        cl_clean(township_code)          as township_code,
        cl_parse_timestamp(observed_at)  as observed_at,
        cl_parse_number(aqi)             as aqi,
        cl_parse_number(pm25)            as pm25,
        cl_parse_number(pm10)            as pm10,
        cast(dt as date)                 as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
