-- Marital status history from civil marriage registrations (authoritative: civil_marriages):
-- each registration opens a period [valid_from, valid_to) that the person's next registration closes.
with

marriages as (

    select * from {{ ref('stg_civil__marriages') }}
    where is_id_number_valid and registered_on is not null

),

registrations as (

    -- a registration re-delivered on a later night counts once (its latest delivery)
    select id_number, marriage_reg_no, marital_status_code, spouse_id_number, registered_on, dt
    from (
        select
            *,
            row_number() over (partition by id_number, marriage_reg_no order by dt desc) as delivery_rank
        from marriages
    ) as ranked
    where delivery_rank = 1

),

historized as (

    select
        id_number,
        marital_status_code,
        spouse_id_number,
        marriage_reg_no,
        registered_on as valid_from,
        lead(registered_on) over (partition by id_number order by registered_on, marriage_reg_no nulls last) as valid_to
    from registrations

),

final as (

    select
        id_number,
        valid_from,
        valid_to,
        valid_to is null as is_current,
        marital_status_code,
        spouse_id_number,
        marriage_reg_no
    from historized

)

select * from final
