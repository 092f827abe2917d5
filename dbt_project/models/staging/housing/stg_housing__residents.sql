-- Estate resident registrations / 小区住户登记信息 (housing_residents): snapshot feed: the latest delivery on or before the run date.
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
        cast(dt as date)             as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
