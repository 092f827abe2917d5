{{ config(**snapshot_rows_config('nrp_parcels')) }}
-- Land parcels / 宗地信息 (nrp_parcels): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
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
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
