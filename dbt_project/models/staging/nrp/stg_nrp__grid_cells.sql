-- Management grid cells / 网格划分信息 (nrp_grid_cells): snapshot feed: the latest delivery on or before the run date.
with

delivered as (

    {{ delivered('nrp_grid_cells') }}

),

renamed as (

    select
        cl_clean(grid_id)        as grid_id,
        cl_clean(grid_name)      as grid_name,
        cl_clean(township_code)  as township_code,
        cl_clean(geometry_wkt)   as geometry_wkt,
        cast(dt as date)         as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
