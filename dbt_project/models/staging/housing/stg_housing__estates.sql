-- Residential estates / 住宅小区信息 (housing_estates): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'housing_estates') }}

),

deliveries as (

    select * from source
    where cast(dt as date) <= {{ run_date() }}

),

latest as (

    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)

),

renamed as (

    select
        cl_clean(estate_id)                                    as estate_id,
        cl_clean(estate_name)                                  as estate_name,
        cl_clean(township_code)                                as township_code,
        try_cast(cl_parse_number(household_count) as integer)  as household_count,
        cl_parse_number(longitude)                             as longitude,
        cl_parse_number(latitude)                              as latitude,
        cast(dt as date)                                       as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
