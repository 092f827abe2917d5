-- Domicile (household registration township) history: each observed change opens a period
-- [valid_from, valid_to) closed by the person's next change. valid_from is the delivery
-- night on which the state was first seen.
with

changes as (

    select * from {{ ref('int_persons_domicile_changes') }}

),

final as (

    select
        id_number,
        dt                                                        as valid_from,
        lead(dt) over (partition by id_number order by dt)        as valid_to,
        lead(dt) over (partition by id_number order by dt) is null as is_current,
        township_code,
        household_id,
        domicile_address
    from changes

)

select * from final
