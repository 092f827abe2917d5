-- 物联感知库 IoT sensing library: one row per sensor or camera (Big Data Center registry, bdc_sensors),
-- located in its grid cell, township and parcel by point-in-polygon.
with

sensors as (

    select * from {{ ref('stg_bdc__sensors') }}
    where sensor_id is not null

),

locations as (

    select * from {{ ref('int_locations_assigned') }}
    where subject_type = 'sensor'

),

final as (

    select
        sensors.sensor_id,
        sensors.sensor_type,
        sensors.department_id,
        sensors.longitude,
        sensors.latitude,
        sensors.installed_on,
        locations.grid_id,
        locations.located_township_code                  as township_code,
        substr(locations.located_township_code, 1, 6)    as county_code,
        locations.parcel_id
    from sensors
    left join locations on locations.subject_id = sensors.sensor_id

)

select * from final
