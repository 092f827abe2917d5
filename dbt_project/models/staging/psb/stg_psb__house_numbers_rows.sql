{{ config(**snapshot_rows_config('psb_house_numbers')) }}
-- House numbers (door plates) / 门牌号信息 (psb_house_numbers): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('psb_house_numbers') }}

),

renamed as (

    select
        cl_clean(address_id)        as address_id,
        cl_clean(township_code)     as township_code,
        cl_clean(road_name)         as road_name,
        cl_clean(house_number)      as house_number,
        cl_clean(building_no)       as building_no,
        cl_clean(full_address)      as full_address,
        cl_parse_number(longitude)  as longitude,
        cl_parse_number(latitude)   as latitude,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
