-- Emergency incidents / 突发事件信息 (emergency_incidents): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('emergency_incidents') }}

),

renamed as (

    select
        cl_clean(incident_id)                             as incident_id,
        {{ standard_code('incident_type', 'incident_type') }} as incident_type,
        cl_clean(township_code)                           as township_code,
        cl_parse_timestamp(occurred_at)                   as occurred_at,
        cl_parse_timestamp(handled_at)                    as handled_at,
        try_cast(cl_parse_number(casualties) as integer)  as casualties,
        cast(cl_parse_number(economic_loss) * 10000 as decimal(18,2))  as economic_loss_cny,
        cast(dt as date)                                  as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
