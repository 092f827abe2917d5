-- 智慧民政 Civil affairs: subsidies (dibao, extreme poverty, old-age and disability allowances) per
-- payment month, subsidy type and township of domicile — recipients and amounts.
with

payments as (

    select * from {{ ref('int_subsidy_payments_deduplicated') }}

),

population as (

    select id_number, township_code, age from {{ ref('population') }}

),

final as (

    select
        payments.pay_month,
        payments.subsidy_type,
        coalesce(population.township_code, 'unknown')               as township_code,
        substr(coalesce(population.township_code, 'unknown'), 1, 6) as county_code,
        count(*)                                                    as payment_count,
        count(distinct payments.id_number)                          as recipient_count,
        count(distinct case when population.age >= 80 then payments.id_number end) as recipient_80plus_count,
        sum(payments.amount_cny)                                    as amount_cny
    from payments
    left join population on population.id_number = payments.id_number
    group by payments.pay_month, payments.subsidy_type, coalesce(population.township_code, 'unknown')

)

select * from final
