{{ config(**night_incremental('dt')) }}
-- 智慧医疗 Healthcare: per night, hospital and clinical department — visits, patients and fees.
with

visits as (

    select * from {{ ref('stg_health__hospital_visits') }}
    where {{ night_filter('dt') }}

),

final as (

    select
        dt,
        hospital_name,
        coalesce(clinical_department, 'unknown') as clinical_department,
        count(*)                                 as visit_count,
        count(distinct id_number)                as patient_count,
        sum(fee_amount)                          as fee_amount_cny,
        cast(avg(fee_amount) as decimal(18,2))   as mean_fee_cny
    from visits
    group by dt, hospital_name, coalesce(clinical_department, 'unknown')

)

select * from final
