-- Standard place names / 标准地名信息 (civil_place_names): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_civil__place_names_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_civil__place_names_rows') }}

),

final as (

    select
        place_name_id,
        place_name,
        place_type,
        township_code,
        longitude,
        latitude,
        {{ snapshot_dt('civil_place_names') }} as dt
    from staged

)

select * from final
