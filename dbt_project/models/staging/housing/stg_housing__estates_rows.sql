{{ config(**snapshot_rows_config('housing_estates')) }}
-- Residential estates / 住宅小区信息 (housing_estates): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
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
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
