-- 智慧社区 Smart community: one row per residential estate with its residents (matched to the
-- population library) and its location (grid cell by point-in-polygon).
with

estates as (

    select * from {{ ref('stg_housing__estates') }}
    where estate_id is not null

),

residents as (

    select * from {{ ref('stg_housing__residents') }}
    where is_id_number_valid

),

population as (

    select id_number, age from {{ ref('population') }}

),

locations as (

    select * from {{ ref('int_locations_assigned') }}
    where subject_type = 'estate'

),

resident_counts as (

    select
        residents.estate_id,
        count(distinct residents.id_number)                                         as resident_count,
        count(distinct population.id_number)                                        as registered_resident_count,
        count(distinct case when population.age >= 60 then population.id_number end) as elderly_resident_count
    from residents
    left join population on population.id_number = residents.id_number
    group by residents.estate_id

),

final as (

    select
        estates.estate_id,
        estates.estate_name,
        estates.township_code,
        substr(estates.township_code, 1, 6)                  as county_code,
        estates.household_count,
        coalesce(resident_counts.resident_count, 0)            as resident_count,
        coalesce(resident_counts.registered_resident_count, 0) as registered_resident_count,
        coalesce(resident_counts.elderly_resident_count, 0)    as elderly_resident_count,
        estates.longitude,
        estates.latitude,
        locations.grid_id
    from estates
    left join resident_counts on resident_counts.estate_id = estates.estate_id
    left join locations on locations.subject_id = estates.estate_id

)

select * from final
