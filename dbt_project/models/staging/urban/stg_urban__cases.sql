-- City-management cases / 数字城管案件信息 (urban_cases): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('urban_cases') }}

),

renamed as (

    select
        cl_clean(case_id)                as case_id,
        {{ standard_code('case_type', 'case_type') }} as case_type,
        cl_clean(township_code)          as township_code,
        cl_parse_timestamp(reported_at)  as reported_at,
        cl_parse_timestamp(closed_at)    as closed_at,
        {{ standard_code('case_status', 'case_status') }} as case_status,
        cast(dt as date)                 as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
