-- Land parcels / 宗地信息 (nrp_parcels): snapshot feed: the latest delivery on or before the run date.
with

delivered as (

    {{ delivered('nrp_parcels') }}

),

renamed as (

    select
        cl_clean(parcel_id)        as parcel_id,
        cl_clean(township_code)    as township_code,
        {{ standard_code('land_use', 'land_use_code') }} as land_use_code,
        cl_parse_number(area_sqm)  as area_sqm,
        cl_clean(geometry_wkt)     as geometry_wkt,
        cast(dt as date)           as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
