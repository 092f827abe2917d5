-- Management grid cells / 网格划分信息 (nrp_grid_cells): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'nrp_grid_cells') }}

),

deliveries as (

    select * from source
    where cast(dt as date) <= {{ run_date() }}

),

latest as (

    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)

),

renamed as (

    select
        cl_clean(grid_id)        as grid_id,
        cl_clean(grid_name)      as grid_name,
        cl_clean(township_code)  as township_code,
        cl_clean(geometry_wkt)   as geometry_wkt,
        cast(dt as date)         as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
