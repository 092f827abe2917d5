-- Estate resident registrations / 小区住户登记信息 (housing_residents): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_housing__residents_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_housing__residents_rows') }}

),

final as (

    select
        id_number,
        is_id_number_valid,
        person_name,
        estate_id,
        room_no,
        {{ snapshot_dt('housing_residents') }} as dt
    from staged

)

select * from final
