-- 智慧民政·养老 Elderly residents per township (population library): aged 60+, 80+, and how many
-- receive an old-age allowance.
with

population as (

    select * from {{ ref('population') }}
    where not is_deceased

),

allowances as (

    select distinct id_number from {{ ref('int_subsidy_payments_deduplicated') }}
    where subsidy_type = 'elderly_care'

),

final as (

    select
        population.township_code,
        population.county_code,
        count(*)                                                     as resident_count,
        sum(case when population.age >= 60 then 1 else 0 end)        as aged_60_plus_count,
        sum(case when population.age >= 80 then 1 else 0 end)        as aged_80_plus_count,
        count(allowances.id_number)                                  as old_age_allowance_count
    from population
    left join allowances on allowances.id_number = population.id_number
    group by population.township_code, population.county_code

)

select * from final
