{{ config(**night_incremental('dt')) }}
-- 智慧医疗·出生死亡 Births and deaths per night and township (health_births; health_deaths with the
-- deceased's domicile township from the population library).
with

births as (

    select * from {{ ref('stg_health__births') }}
    where {{ night_filter('dt') }}

),

deaths as (

    select * from {{ ref('stg_health__deaths') }}
    where {{ night_filter('dt') }}

),

population as (

    select id_number, township_code from {{ ref('population') }}

),

events as (

    select dt, coalesce(township_code, 'unknown') as township_code, 1 as births, 0 as deaths
    from births
    union all
    select deaths.dt, coalesce(population.township_code, 'unknown') as township_code, 0 as births, 1 as deaths
    from deaths
    left join population on population.id_number = deaths.id_number

),

final as (

    select dt, township_code, substr(township_code, 1, 6) as county_code,
           sum(births) as birth_count, sum(deaths) as death_count
    from events
    group by dt, township_code

)

select * from final
