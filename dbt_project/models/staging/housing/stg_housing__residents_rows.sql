{{ config(**snapshot_rows_config('housing_residents')) }}
-- Estate resident registrations / 小区住户登记信息 (housing_residents): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('housing_residents') }}

),

renamed as (

    select
        cl_ric_normalize(id_number)  as id_number,
        cl_ric_valid(id_number)      as is_id_number_valid,
        cl_clean(person_name)        as person_name,
        cl_clean(estate_id)          as estate_id,
        cl_clean(room_no)            as room_no,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
