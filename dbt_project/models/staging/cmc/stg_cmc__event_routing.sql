-- Event routing steps / 事件流转信息 (cmc_event_routing): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('cmc_event_routing') }}

),

renamed as (

    select
        cl_clean(event_id)                             as event_id,
        try_cast(cl_parse_number(step_no) as integer)  as step_no,
        cl_clean(department_id)                        as department_id,
        {{ standard_code('routing_action', 'routing_action') }} as routing_action,
        cl_parse_timestamp(action_at)                  as action_at,
        cast(dt as date)                               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
