-- IoT sensor and camera registry / 物联感知设备登记信息 (bdc_sensors): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_bdc__sensors_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_bdc__sensors_rows') }}

),

final as (

    select
        sensor_id,
        sensor_type,
        department_id,
        longitude,
        latitude,
        installed_on,
        {{ snapshot_dt('bdc_sensors') }} as dt
    from staged

)

select * from final
