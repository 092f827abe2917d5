-- 惠企服务/产业经济 Enterprise services: one row per registered legal entity with the policy subsidies
-- it received (econ_subsidies), its employees (hrss_employment), tax paid and credit status.
with

entities as (

    select * from {{ ref('legal_entity') }}

),

subsidies as (

    select * from {{ ref('stg_econ__subsidies') }}
    where is_uscc_valid

),

employment as (

    select * from {{ ref('stg_hrss__employment') }}
    where is_employer_uscc_valid

),

taxpayers as (

    select * from {{ ref('stg_tax__taxpayers') }}
    where is_uscc_valid

),

credit as (

    select uscc, credit_status from {{ ref('social_credit') }}

),

subsidy_totals as (

    select uscc, count(distinct disbursement_id) as subsidy_count, sum(amount_cny) as subsidy_amount_cny
    from subsidies
    group by uscc

),

employees as (

    select employer_uscc as uscc, count(distinct id_number) as employee_count
    from employment
    where employment_status <> 'unemployed'
    group by employer_uscc

),

tax_paid as (

    select uscc, max(tax_paid_ytd) as tax_paid_ytd_cny
    from taxpayers
    group by uscc

),

final as (

    select
        entities.uscc,
        entities.industry_section,
        entities.township_code,
        entities.county_code,
        entities.entity_type,
        entities.registration_status,
        coalesce(subsidy_totals.subsidy_count, 0)          as subsidy_count,
        coalesce(subsidy_totals.subsidy_amount_cny, 0)     as subsidy_amount_cny,
        coalesce(employees.employee_count, 0)              as employee_count,
        tax_paid.tax_paid_ytd_cny,
        coalesce(credit.credit_status, 'normal')           as credit_status
    from entities
    left join subsidy_totals on subsidy_totals.uscc = entities.uscc
    left join employees on employees.uscc = entities.uscc
    left join tax_paid on tax_paid.uscc = entities.uscc
    left join credit on credit.uscc = entities.uscc

)

select * from final
