-- City events (12345, grid, city management, emergency) / 城市事件信息 (cmc_events): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('cmc_events') }}

),

renamed as (

    select
        cl_clean(event_id)               as event_id,
        {{ standard_code('event_channel', 'event_channel') }} as event_channel,
        {{ standard_code('event_category', 'event_category') }} as event_category,
        cl_clean(township_code)          as township_code,
        cl_parse_timestamp(reported_at)  as reported_at,
        cl_phone_normalize(phone)        as phone,
        cl_phone_valid(phone)            as is_phone_valid,
        cl_parse_number(longitude)       as longitude,
        cl_parse_number(latitude)        as latitude,
        cl_clean(description)            as description,
        cast(dt as date)                 as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
