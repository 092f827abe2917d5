-- Hospital visits / 医疗机构就诊信息 (health_hospital_visits): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('health_hospital_visits') }}

),

renamed as (

    select
        cl_clean(visit_id)             as visit_id,
        cl_ric_normalize(id_number)    as id_number,
        cl_ric_valid(id_number)        as is_id_number_valid,
        cl_clean(person_name)          as person_name,
        cl_parse_date(birth_date)      as birth_date,
        cl_clean(hospital_name)        as hospital_name,
        cl_clean(clinical_department)  as clinical_department,
        cl_parse_date(visit_date)      as visit_date,
        cl_clean(diagnosis_code)       as diagnosis_code,
        cast(cl_parse_number(fee_amount) as decimal(18,2))  as fee_amount,
        cast(dt as date)               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
