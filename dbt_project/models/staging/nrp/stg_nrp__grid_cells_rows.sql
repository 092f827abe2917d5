{{ config(**snapshot_rows_config('nrp_grid_cells')) }}
-- Management grid cells / 网格划分信息 (nrp_grid_cells): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
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
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
