{{ config(**snapshot_rows_config('bdc_sensors')) }}
-- IoT sensor and camera registry / 物联感知设备登记信息 (bdc_sensors): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('bdc_sensors') }}

),

renamed as (

    select
        cl_clean(sensor_id)          as sensor_id,
        {{ standard_code('sensor_type', 'sensor_type') }} as sensor_type,
        cl_clean(department_id)      as department_id,
        cl_parse_number(longitude)   as longitude,
        cl_parse_number(latitude)    as latitude,
        cl_parse_date(installed_on)  as installed_on,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
