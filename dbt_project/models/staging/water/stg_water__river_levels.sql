-- River water levels / 河道水位监测数据 (water_river_levels): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('water_river_levels') }}

),

renamed as (

    select
        cl_clean(station_id)              as station_id,
        cl_clean(river_name)              as river_name,
        cl_clean(township_code)           as township_code,
        cl_parse_timestamp(observed_at)   as observed_at,
        cl_parse_number(water_level_m)    as water_level_m,
        cl_parse_number(warning_level_m)  as warning_level_m,
        cast(dt as date)                  as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
