-- One-stop service applications / 一网通办办件信息 (gsb_applications): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('gsb_applications') }}

),

renamed as (

    select
        cl_clean(application_id)            as application_id,
        cl_ric_normalize(id_number)         as id_number,
        cl_ric_valid(id_number)             as is_id_number_valid,
        cl_uscc_normalize(uscc)             as uscc,
        cl_uscc_valid(uscc)                 as is_uscc_valid,
        cl_clean(service_item_code)         as service_item_code,
        cl_clean(service_item_name)         as service_item_name,
        cl_clean(department_id)             as department_id,
        cl_parse_timestamp(submitted_at)    as submitted_at,
        cl_parse_timestamp(decided_at)      as decided_at,
        {{ standard_code('decision_code', 'decision') }} as decision,
        cl_parse_bool(is_instant_approval)  as is_instant_approval,
        cast(dt as date)                    as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
