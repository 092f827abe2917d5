{{ config(**night_incremental('dt')) }}
-- 智慧文旅 Culture and tourism: visitors and ticket revenue per scenic spot and visit date.
with

visits as (

    select * from {{ ref('stg_culture__scenic_visits') }}
    where {{ night_filter('dt') }} and scenic_spot_id is not null

),

final as (

    select
        dt,
        scenic_spot_id,
        visit_date,
        min(scenic_spot_name)       as scenic_spot_name,
        min(township_code)          as township_code,
        substr(min(township_code), 1, 6) as county_code,
        sum(visitor_count)          as visitor_count,
        sum(revenue_cny)            as revenue_cny
    from visits
    group by dt, scenic_spot_id, visit_date

)

select * from final
