-- 智慧教育 Education: one row per school with its enrolled students (edu_enrolments), of whom how many
-- are registered residents (population library).
with

enrolments as (

    select * from {{ ref('stg_edu__enrolments') }}
    where school_code is not null

),

population as (

    select id_number from {{ ref('population') }}

),

final as (

    select
        enrolments.school_code,
        min(enrolments.school_name)                         as school_name,
        min(enrolments.school_stage)                        as school_stage,
        min(enrolments.township_code)                       as township_code,
        substr(min(enrolments.township_code), 1, 6)         as county_code,
        count(distinct enrolments.student_id)               as student_count,
        count(distinct population.id_number)                as registered_student_count
    from enrolments
    left join population on population.id_number = enrolments.id_number
    group by enrolments.school_code

)

select * from final
