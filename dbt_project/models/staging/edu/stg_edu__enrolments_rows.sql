{{ config(**snapshot_rows_config('edu_enrolments')) }}
-- Student enrolments / 学生学籍信息 (edu_enrolments): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('edu_enrolments') }}

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
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
