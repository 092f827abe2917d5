-- 法人库 Legal entity library: one row per legal entity (key: unified social credit code).
-- Registration elements from Market Regulation (samr_entities) for market entities and from Civil
-- Affairs (civil_social_orgs) for social organisations; tax status and grade from Tax (tax_taxpayers).
with

samr as (

    select * from {{ ref('stg_samr__entities') }}
    where is_uscc_valid

),

social_orgs as (

    select * from {{ ref('stg_civil__social_orgs') }}
    where is_uscc_valid

),

taxpayers as (

    select * from {{ ref('stg_tax__taxpayers') }}
    where is_uscc_valid

),

market_entities as (

    select
        uscc, entity_name, entity_type, legal_rep_name, registered_capital, established_on,
        industry_code, industry_section, registered_address, township_code, registration_status, phone,
        'samr' as registration_department
    from samr

),

organisations as (

    select
        uscc, entity_name, entity_type, legal_rep_name, cast(null as decimal(18,2)) as registered_capital, established_on,
        cast(null as {{ dbt.type_string() }}) as industry_code,
        'S' as industry_section,
        cast(null as {{ dbt.type_string() }}) as registered_address,
        township_code,
        cast(null as {{ dbt.type_string() }}) as registration_status,
        cast(null as {{ dbt.type_string() }}) as phone,
        'civil' as registration_department
    from social_orgs
    where uscc not in (select uscc from samr)

),

registered as (

    select *
    from (
        select *, row_number() over (partition by uscc order by entity_name nulls last) as entity_rank
        from (select * from market_entities union all select * from organisations) as unioned
    ) as ranked
    where entity_rank = 1

),

tax as (

    select uscc, min(tax_status) as tax_status, min(tax_credit_grade) as tax_credit_grade
    from taxpayers
    group by uscc

),

final as (

    select
        registered.uscc,
        registered.entity_name,
        registered.entity_type,
        registered.entity_type = '9500'                  as is_individual_business,
        registered.legal_rep_name,
        registered.registered_capital,
        registered.established_on,
        registered.industry_code,
        registered.industry_section,
        registered.registered_address,
        registered.township_code,
        substr(registered.township_code, 1, 6)           as county_code,
        registered.registration_status,
        registered.phone,
        registered.registration_department,
        tax.tax_status,
        tax.tax_credit_grade
    from registered
    left join tax on tax.uscc = registered.uscc

)

select * from final
