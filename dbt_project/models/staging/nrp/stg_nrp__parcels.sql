-- Land parcels / 宗地信息 (nrp_parcels): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_nrp__parcels_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_nrp__parcels_rows') }}

),

final as (

    select
        parcel_id,
        township_code,
        land_use_code,
        area_sqm,
        geometry_wkt,
        {{ snapshot_dt('nrp_parcels') }} as dt
    from staged

)

select * from final
