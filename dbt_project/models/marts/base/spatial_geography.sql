-- 时空地理库 Spatial geography library: one row per land parcel (Natural Resources & Planning, nrp_parcels),
-- with its centroid and the grid cell containing it (DuckDB spatial).
with

parcels as (

    select * from {{ ref('stg_nrp__parcels') }}
    where parcel_id is not null and geometry_wkt is not null

),

grid_cells as (

    select grid_id, ST_GeomFromText(geometry_wkt) as geom
    from {{ ref('stg_nrp__grid_cells') }}
    where geometry_wkt is not null

),

shaped as (

    select
        parcel_id, township_code, land_use_code, area_sqm, geometry_wkt,
        ST_Centroid(ST_GeomFromText(geometry_wkt)) as centroid
    from parcels

),

centroid_cells as (

    select shaped.parcel_id, min(grid_cells.grid_id) as grid_id
    from shaped
    inner join grid_cells on ST_Contains(grid_cells.geom, shaped.centroid)
    group by shaped.parcel_id

),

final as (

    select
        shaped.parcel_id,
        shaped.township_code,
        substr(shaped.township_code, 1, 6) as county_code,
        shaped.land_use_code,
        shaped.area_sqm,
        ST_X(shaped.centroid)              as centroid_longitude,
        ST_Y(shaped.centroid)              as centroid_latitude,
        centroid_cells.grid_id,
        shaped.geometry_wkt
    from shaped
    left join centroid_cells on centroid_cells.parcel_id = shaped.parcel_id

)

select * from final
