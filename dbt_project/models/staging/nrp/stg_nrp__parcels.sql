-- Land parcels / 宗地信息 (nrp_parcels): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'nrp_parcels') }}

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
        cl_clean(parcel_id)        as parcel_id,
        cl_clean(township_code)    as township_code,
        {{ standard_code('land_use', 'land_use_code') }} as land_use_code,
        cl_parse_number(area_sqm)  as area_sqm,
        cl_clean(geometry_wkt)     as geometry_wkt,
        cast(dt as date)           as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
