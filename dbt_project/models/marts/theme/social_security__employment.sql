{{ config(**night_incremental('dt')) }}
-- 智慧人社·就业 Employment registrations per night, employer's industry section and status.
with

employment as (

    select * from {{ ref('stg_hrss__employment') }}
    where {{ night_filter('dt') }} and is_id_number_valid

),

entities as (

    select uscc, industry_section from {{ ref('legal_entity') }}

),

final as (

    select
        employment.dt,
        coalesce(entities.industry_section, 'unknown') as industry_section,
        employment.employment_status,
        count(*)                                       as registration_count,
        count(distinct employment.id_number)           as person_count,
        count(distinct employment.employer_uscc)       as employer_count
    from employment
    left join entities on entities.uscc = employment.employer_uscc
    group by employment.dt, coalesce(entities.industry_section, 'unknown'), employment.employment_status

)

select * from final
