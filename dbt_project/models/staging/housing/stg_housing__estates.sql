-- Residential estates / 住宅小区信息 (housing_estates): snapshot feed: the latest delivery on or before the run date.
with

delivered as (

    {{ delivered('housing_estates') }}

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
    from delivered

),

final as (

    select * from renamed

)

select * from final
