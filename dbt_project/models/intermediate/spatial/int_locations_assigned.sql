-- Point-in-polygon (DuckDB spatial): every located subject (address, place name, sensor, estate)
-- assigned to the grid cell (and so the township) and the parcel that contains its point.
with

grid_cells as (

    select grid_id, township_code, ST_GeomFromText(geometry_wkt) as geom
    from {{ ref('stg_nrp__grid_cells') }}
    where geometry_wkt is not null

),

parcels as (

    select parcel_id, ST_GeomFromText(geometry_wkt) as geom
    from {{ ref('stg_nrp__parcels') }}
    where geometry_wkt is not null

),

house_numbers as (

    select 'house_number' as subject_type, address_id as subject_id, longitude, latitude
    from {{ ref('stg_psb__house_numbers') }}

),

place_names as (

    select 'place_name' as subject_type, place_name_id as subject_id, longitude, latitude
    from {{ ref('stg_civil__place_names') }}

),

sensors as (

    select 'sensor' as subject_type, sensor_id as subject_id, longitude, latitude
    from {{ ref('stg_bdc__sensors') }}

),

estates as (

    select 'estate' as subject_type, estate_id as subject_id, longitude, latitude
    from {{ ref('stg_housing__estates') }}

),

points as (

    select distinct subject_type, subject_id, longitude, latitude
    from (
        select * from house_numbers
        union all select * from place_names
        union all select * from sensors
        union all select * from estates
    ) as unioned
    where subject_id is not null and longitude is not null and latitude is not null

),

located as (

    select subject_type, subject_id, longitude, latitude, ST_Point(longitude, latitude) as geom
    from points

),

in_grid as (

    select located.subject_type, located.subject_id, min(grid_cells.grid_id) as grid_id,
           min(grid_cells.township_code) as township_code
    from located
    inner join grid_cells on ST_Contains(grid_cells.geom, located.geom)
    group by located.subject_type, located.subject_id

),

in_parcel as (

    select located.subject_type, located.subject_id, min(parcels.parcel_id) as parcel_id
    from located
    inner join parcels on ST_Contains(parcels.geom, located.geom)
    group by located.subject_type, located.subject_id

),

final as (

    select
        points.subject_type,
        points.subject_id,
        points.longitude,
        points.latitude,
        in_grid.grid_id,
        in_grid.township_code as located_township_code,
        in_parcel.parcel_id
    from points
    left join in_grid
        on in_grid.subject_type = points.subject_type and in_grid.subject_id = points.subject_id
    left join in_parcel
        on in_parcel.subject_type = points.subject_type and in_parcel.subject_id = points.subject_id

)

select * from final
