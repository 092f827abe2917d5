{{ config(**night_incremental('dt')) }}
-- 公共卫生 Public health: per night, township of domicile and test type — tests, positives and
-- health-code colours (health_tests joined to the population library for the township).
with

tests as (

    select * from {{ ref('stg_health__tests') }}
    where {{ night_filter('dt') }} and is_id_number_valid

),

population as (

    select id_number, township_code from {{ ref('population') }}

),

final as (

    select
        tests.dt,
        coalesce(population.township_code, 'unknown')                      as township_code,
        substr(coalesce(population.township_code, 'unknown'), 1, 6)        as county_code,
        tests.test_type,
        count(*)                                                           as test_count,
        count(distinct tests.id_number)                                    as person_count,
        sum(case when tests.test_result = 'positive' then 1 else 0 end)    as positive_count,
        sum(case when tests.health_code_color = 'green' then 1 else 0 end) as green_code_count,
        sum(case when tests.health_code_color = 'yellow' then 1 else 0 end) as yellow_code_count,
        sum(case when tests.health_code_color = 'red' then 1 else 0 end)   as red_code_count
    from tests
    left join population on population.id_number = tests.id_number
    group by tests.dt, coalesce(population.township_code, 'unknown'), tests.test_type

)

select * from final
