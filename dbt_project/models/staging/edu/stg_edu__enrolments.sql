-- Student enrolments / 学生学籍信息 (edu_enrolments): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'edu_enrolments') }}

),

deliveries as (

    select * from source
    where cast(dt as date) <= {{ run_date() }}

),

latest as (

    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)

),

renamed as (

    select
        cl_clean(student_id)         as student_id,
        cl_ric_normalize(id_number)  as id_number,
        cl_ric_valid(id_number)      as is_id_number_valid,
        cl_clean(school_code)        as school_code,
        cl_clean(school_name)        as school_name,
        {{ standard_code('school_stage', 'school_stage') }} as school_stage,
        cl_clean(grade)              as grade,
        cl_parse_date(enrolled_on)   as enrolled_on,
        cl_clean(township_code)      as township_code,
        cast(dt as date)             as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
