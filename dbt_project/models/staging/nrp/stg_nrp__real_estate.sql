-- Real-estate registrations / 不动产登记信息 (nrp_real_estate): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('nrp_real_estate') }}

),

renamed as (

    select
        cl_clean(property_cert_no)         as property_cert_no,
        cl_clean(parcel_id)                as parcel_id,
        cl_ric_normalize(owner_id_number)  as owner_id_number,
        cl_ric_valid(owner_id_number)      as is_owner_id_number_valid,
        cl_clean(owner_name)               as owner_name,
        cl_clean(property_use)             as property_use,
        cl_parse_number(floor_area_sqm)    as floor_area_sqm,
        cl_parse_date(registered_on)       as registered_on,
        cast(dt as date)                   as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
