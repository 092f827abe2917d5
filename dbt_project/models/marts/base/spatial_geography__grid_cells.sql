-- 时空地理库·网格 Grid cells (nrp_grid_cells): one row per grid cell with the number of addresses,
-- sensors and estates located inside it by point-in-polygon.
with

grid_cells as (

    select * from {{ ref('stg_nrp__grid_cells') }}
    where grid_id is not null

),

locations as (

    select * from {{ ref('int_locations_assigned') }}

),

counts as (

    select
        grid_id,
        sum(case when subject_type in ('house_number', 'place_name') then 1 else 0 end) as address_count,
        sum(case when subject_type = 'sensor' then 1 else 0 end)                         as sensor_count,
        sum(case when subject_type = 'estate' then 1 else 0 end)                         as estate_count
    from locations
    where grid_id is not null
    group by grid_id

),

final as (

    select
        grid_cells.grid_id,
        grid_cells.grid_name,
        grid_cells.township_code,
        substr(grid_cells.township_code, 1, 6) as county_code,
        coalesce(counts.address_count, 0)      as address_count,
        coalesce(counts.sensor_count, 0)       as sensor_count,
        coalesce(counts.estate_count, 0)       as estate_count,
        grid_cells.geometry_wkt
    from grid_cells
    left join counts on counts.grid_id = grid_cells.grid_id

)

select * from final
