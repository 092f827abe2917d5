{{ config(**night_incremental('dt')) }}
-- 惠企服务·兑现 Policy subsidy disbursements per night, policy and industry section.
with

subsidies as (

    select * from {{ ref('stg_econ__subsidies') }}
    where {{ night_filter('dt') }} and is_uscc_valid

),

entities as (

    select uscc, industry_section, county_code from {{ ref('legal_entity') }}

),

final as (

    select
        subsidies.dt,
        subsidies.policy_name,
        coalesce(entities.industry_section, 'unknown') as industry_section,
        count(*)                                       as disbursement_count,
        count(distinct subsidies.uscc)                 as entity_count,
        sum(subsidies.amount_cny)                      as amount_cny
    from subsidies
    left join entities on entities.uscc = subsidies.uscc
    group by subsidies.dt, subsidies.policy_name, coalesce(entities.industry_section, 'unknown')

)

select * from final
