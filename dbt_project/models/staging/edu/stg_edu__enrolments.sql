-- Student enrolments / 学生学籍信息 (edu_enrolments): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_edu__enrolments_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_edu__enrolments_rows') }}

),

final as (

    select
        student_id,
        id_number,
        is_id_number_valid,
        school_code,
        school_name,
        school_stage,
        grade,
        enrolled_on,
        township_code,
        {{ snapshot_dt('edu_enrolments') }} as dt
    from staged

)

select * from final
