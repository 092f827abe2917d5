-- Birth certificates / 出生医学证明信息 (health_births): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('health_births') }}

),

renamed as (

    select
        cl_clean(birth_cert_no)             as birth_cert_no,
        cl_ric_normalize(id_number)         as id_number,
        cl_ric_valid(id_number)             as is_id_number_valid,
        cl_clean(person_name)               as person_name,
        {{ standard_code('sex', 'sex_code') }} as sex_code,
        cl_parse_date(birth_date)           as birth_date,
        cl_ric_normalize(mother_id_number)  as mother_id_number,
        cl_ric_valid(mother_id_number)      as is_mother_id_number_valid,
        cl_clean(hospital_name)             as hospital_name,
        cl_clean(township_code)             as township_code,
        cast(dt as date)                    as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
