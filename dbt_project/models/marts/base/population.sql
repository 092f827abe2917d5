-- 人口库 Population library: one row per registered person (key: normalised ID number).
-- Every element comes from its authoritative source only: identity and domicile from Public
-- Security (psb_household), death from Health (health_deaths), birth certificate from Health
-- (health_births), marital status from Civil Affairs (civil_marriages), insurance from HRSS.
with

household as (

    select * from {{ ref('stg_psb__household') }}
    where is_id_number_valid

),

deaths as (

    select * from {{ ref('stg_health__deaths') }}
    where is_id_number_valid

),

births as (

    select * from {{ ref('stg_health__births') }}
    where is_id_number_valid

),

marital as (

    select * from {{ ref('int_persons_marital_historized') }}
    where is_current

),

insurance as (

    select * from {{ ref('int_insurance_enrolments_deduplicated') }}

),

registered as (

    select *
    from (
        select *, row_number() over (partition by id_number order by person_name nulls last, household_id nulls last) as person_rank
        from household
    ) as ranked
    where person_rank = 1

),

death_registrations as (

    select id_number, min(death_date) as death_date
    from deaths
    group by id_number

),

birth_registrations as (

    select id_number, min(birth_cert_no) as birth_cert_no
    from births
    group by id_number

),

insured as (

    select
        id_number,
        count(distinct case when insurance_status = '1' then insurance_type end)          as active_insurance_count,
        max(case when insurance_type in ('110', '120') and insurance_status = '1' then 1 else 0 end) = 1
                                                                                            as has_pension_insurance
    from insurance
    group by id_number

),

final as (

    select
        registered.id_number,
        registered.person_name,
        registered.sex_code,
        registered.birth_date,
        {{ age_on('registered.birth_date', run_date()) }}                          as age,
        {{ age_band(age_on('registered.birth_date', run_date())) }}                as age_band,
        registered.ethnic_code,
        registered.education_code,
        registered.household_id,
        registered.relation_to_head,
        registered.township_code,
        substr(registered.township_code, 1, 6)                                     as county_code,
        registered.domicile_address,
        registered.phone,
        registered.registered_on,
        birth_registrations.birth_cert_no,
        death_registrations.death_date,
        death_registrations.death_date is not null                                 as is_deceased,
        coalesce(marital.marital_status_code, '90')                                as marital_status_code,
        coalesce(insured.active_insurance_count, 0)                                as active_insurance_count,
        coalesce(insured.has_pension_insurance, false)                             as has_pension_insurance,
        registered.dt                                                              as snapshot_dt
    from registered
    left join death_registrations on death_registrations.id_number = registered.id_number
    left join birth_registrations on birth_registrations.id_number = registered.id_number
    left join marital on marital.id_number = registered.id_number
    left join insured on insured.id_number = registered.id_number

)

select * from final
