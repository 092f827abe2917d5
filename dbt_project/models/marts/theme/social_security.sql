-- 智慧人社 Social security: insured persons per township of domicile and insurance type (latest
-- version of each hrss_insurance enrolment), contributing or not.
with

enrolments as (

    select * from {{ ref('int_insurance_enrolments_deduplicated') }}

),

population as (

    select id_number, township_code from {{ ref('population') }}

),

final as (

    select
        coalesce(population.township_code, 'unknown')               as township_code,
        substr(coalesce(population.township_code, 'unknown'), 1, 6) as county_code,
        enrolments.insurance_type,
        count(distinct enrolments.id_number)                        as insured_person_count,
        count(distinct case when enrolments.insurance_status = '1' then enrolments.id_number end)
                                                                    as contributing_person_count,
        count(distinct enrolments.employer_uscc)                    as employer_count
    from enrolments
    left join population on population.id_number = enrolments.id_number
    group by coalesce(population.township_code, 'unknown'), enrolments.insurance_type

)

select * from final
