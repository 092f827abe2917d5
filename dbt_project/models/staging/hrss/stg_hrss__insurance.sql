-- Social insurance enrolment / 社会保险参保信息 (hrss_insurance): watermark feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('hrss_insurance') }}

),

renamed as (

    select
        cl_clean(enrolment_id)            as enrolment_id,
        cl_ric_normalize(id_number)       as id_number,
        cl_ric_valid(id_number)           as is_id_number_valid,
        cl_clean(person_name)             as person_name,
        {{ standard_code('insurance_type', 'insurance_type') }} as insurance_type,
        {{ standard_code('insurance_status', 'insurance_status') }} as insurance_status,
        cl_parse_date(start_date)         as start_date,
        cl_uscc_normalize(employer_uscc)  as employer_uscc,
        cl_uscc_valid(employer_uscc)      as is_employer_uscc_valid,
        cl_parse_timestamp(updated_at)    as updated_at,
        cast(dt as date)                  as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
