-- Employment registrations / 就业登记信息 (hrss_employment): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('hrss_employment') }}

),

renamed as (

    select
        cl_clean(employment_id)           as employment_id,
        cl_ric_normalize(id_number)       as id_number,
        cl_ric_valid(id_number)           as is_id_number_valid,
        cl_uscc_normalize(employer_uscc)  as employer_uscc,
        cl_uscc_valid(employer_uscc)      as is_employer_uscc_valid,
        cl_clean(job_title)               as job_title,
        cl_parse_date(registered_on)      as registered_on,
        {{ standard_code('employment_status', 'employment_status') }} as employment_status,
        cast(dt as date)                  as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
