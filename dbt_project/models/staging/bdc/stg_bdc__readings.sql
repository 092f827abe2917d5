-- Sensor readings / 物联感知数据 (bdc_readings): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('bdc_readings') }}

),

renamed as (

    select
        cl_clean(reading_id)             as reading_id,
        cl_clean(sensor_id)              as sensor_id,
        cl_parse_timestamp(observed_at)  as observed_at,
        {{ standard_code('metric', 'metric') }} as metric,
        cl_parse_number(value)           as value,
        cast(dt as date)                 as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
