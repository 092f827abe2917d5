{{ config(**snapshot_rows_config('psb_household')) }}
-- Household registration (resident identity) / 户籍人口信息 (psb_household): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('psb_household') }}

),

renamed as (

    select
        cl_ric_normalize(id_number)                         as id_number,
        cl_ric_valid(id_number)                             as is_id_number_valid,
        cl_ric_reason(id_number)                            as id_number_invalid_reason,
        cl_clean(person_name)                               as person_name,
        {{ standard_code('sex', 'sex_code') }} as sex_code,
        cl_parse_date(birth_date)                           as birth_date,
        {{ standard_code('ethnic', 'ethnic_code') }} as ethnic_code,
        cl_clean(household_id)                              as household_id,
        {{ standard_code('relation_to_head', 'relation_to_head') }} as relation_to_head,
        cl_clean(township_code)                             as township_code,
        cl_clean(domicile_address)                          as domicile_address,
        {{ standard_code('education', 'education_code') }} as education_code,
        cl_phone_normalize(phone)                           as phone,
        cl_phone_valid(phone)                               as is_phone_valid,
        cl_parse_date(registered_on)                        as registered_on,
        cl_ric_crosscheck(id_number, birth_date, sex_code)  as id_crosscheck_issue,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
