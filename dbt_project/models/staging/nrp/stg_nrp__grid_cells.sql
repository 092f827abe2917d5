-- Management grid cells / 网格划分信息 (nrp_grid_cells): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_nrp__grid_cells_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_nrp__grid_cells_rows') }}

),

final as (

    select
        grid_id,
        grid_name,
        township_code,
        geometry_wkt,
        {{ snapshot_dt('nrp_grid_cells') }} as dt
    from staged

)

select * from final
