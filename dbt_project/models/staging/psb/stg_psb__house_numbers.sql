-- House numbers (door plates) / 门牌号信息 (psb_house_numbers): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_psb__house_numbers_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_psb__house_numbers_rows') }}

),

final as (

    select
        address_id,
        township_code,
        road_name,
        house_number,
        building_no,
        full_address,
        longitude,
        latitude,
        {{ snapshot_dt('psb_house_numbers') }} as dt
    from staged

)

select * from final
