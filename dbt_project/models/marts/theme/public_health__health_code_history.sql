-- 公共卫生·健康码历史 Health-code status history per person: periods [valid_from, valid_to) of a constant colour.
with

tests as (

    select * from {{ ref('stg_health__tests') }}
    where is_id_number_valid and health_code_color is not null and tested_at is not null

),

ordered as (

    select
        id_number,
        tested_at,
        health_code_color,
        lag(health_code_color) over (partition by id_number order by tested_at, test_id) as previous_color
    from tests

),

changes as (

    select id_number, tested_at, health_code_color
    from ordered
    where previous_color is null or previous_color <> health_code_color

),

final as (

    select
        id_number,
        tested_at                                                               as valid_from,
        lead(tested_at) over (partition by id_number order by tested_at)        as valid_to,
        lead(tested_at) over (partition by id_number order by tested_at) is null as is_current,
        health_code_color
    from changes

)

select * from final
