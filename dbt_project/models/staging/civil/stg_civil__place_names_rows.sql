{{ config(**snapshot_rows_config('civil_place_names')) }}
-- Standard place names / 标准地名信息 (civil_place_names): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('civil_place_names') }}

),

renamed as (

    select
        cl_clean(place_name_id)     as place_name_id,
        cl_clean(place_name)        as place_name,
        {{ standard_code('place_type', 'place_type') }} as place_type,
        cl_clean(township_code)     as township_code,
        cl_parse_number(longitude)  as longitude,
        cl_parse_number(latitude)   as latitude,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
