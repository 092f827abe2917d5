-- Civil affairs subsidy payments (civil_subsidies, a watermark feed): the latest version of each payment.
with

subsidies as (

    select * from {{ ref('stg_civil__subsidies') }}
    where is_id_number_valid

),

final as (

    select payment_id, id_number, subsidy_type, amount_cny, pay_month, updated_at, dt
    from (
        select *, row_number() over (partition by payment_id order by updated_at desc, dt desc) as version_rank
        from subsidies
    ) as ranked
    where version_rank = 1

)

select * from final
