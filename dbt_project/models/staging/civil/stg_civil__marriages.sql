-- Marriage and divorce registrations / 婚姻登记信息 (civil_marriages): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('civil_marriages') }}

),

renamed as (

    select
        cl_clean(marriage_reg_no)           as marriage_reg_no,
        cl_ric_normalize(id_number)         as id_number,
        cl_ric_valid(id_number)             as is_id_number_valid,
        cl_ric_normalize(spouse_id_number)  as spouse_id_number,
        cl_ric_valid(spouse_id_number)      as is_spouse_id_number_valid,
        {{ standard_code('marital_status', 'marital_status_code') }} as marital_status_code,
        cl_parse_date(registered_on)        as registered_on,
        cl_clean(township_code)             as township_code,
        cast(dt as date)                    as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
