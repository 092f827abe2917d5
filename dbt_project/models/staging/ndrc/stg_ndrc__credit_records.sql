-- Administrative licences, penalties and red/black lists / 行政许可与行政处罚及红黑名单信息 (ndrc_credit_records): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('ndrc_credit_records') }}

),

renamed as (

    select
        cl_clean(record_id)                as record_id,
        cl_uscc_normalize(uscc)            as uscc,
        cl_uscc_valid(uscc)                as is_uscc_valid,
        {{ standard_code('credit_record_type', 'credit_record_type') }} as credit_record_type,
        cl_parse_date(decided_on)          as decided_on,
        cl_clean(authority_department_id)  as authority_department_id,
        cl_clean(record_content)           as record_content,
        cast(dt as date)                   as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
