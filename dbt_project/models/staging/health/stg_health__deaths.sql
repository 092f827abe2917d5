-- Death certificates / 死亡医学证明信息 (health_deaths): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('health_deaths') }}

),

renamed as (

    select
        cl_clean(death_cert_no)      as death_cert_no,
        cl_ric_normalize(id_number)  as id_number,
        cl_ric_valid(id_number)      as is_id_number_valid,
        cl_clean(person_name)        as person_name,
        cl_parse_date(death_date)    as death_date,
        cl_clean(death_cause_code)   as death_cause_code,
        cast(dt as date)             as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
