-- Bus boardings / 公交刷卡乘车记录 (transport_bus_trips): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('transport_bus_trips') }}

),

renamed as (

    select
        cl_clean(trip_id)               as trip_id,
        cl_clean(bus_line_code)         as bus_line_code,
        cl_clean(township_code)         as township_code,
        cl_parse_timestamp(boarded_at)  as boarded_at,
        {{ standard_code('card_type', 'card_type') }} as card_type,
        cast(dt as date)                as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
