-- Residential estates / 住宅小区信息 (housing_estates): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_housing__estates_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_housing__estates_rows') }}

),

final as (

    select
        estate_id,
        estate_name,
        township_code,
        household_count,
        longitude,
        latitude,
        {{ snapshot_dt('housing_estates') }} as dt
    from staged

)

select * from final
