-- 社会信用库 Social credit library: one row per credit subject (unified social credit code) with the
-- credit records of the Development & Reform credit office (ndrc_credit_records) summarised.
with

records as (

    select * from {{ ref('social_credit__records') }}

),

subjects as (

    select
        uscc,
        count(*)                                                           as record_count,
        sum(case when credit_record_type = 'license' then 1 else 0 end)    as license_count,
        sum(case when credit_record_type = 'penalty' then 1 else 0 end)    as penalty_count,
        sum(case when credit_record_type = 'red_list' then 1 else 0 end)   as red_list_count,
        sum(case when credit_record_type = 'black_list' then 1 else 0 end) as black_list_count,
        max(decided_on)                                                    as last_decided_on
    from records
    group by uscc

),

final as (

    select
        uscc,
        record_count,
        license_count,
        penalty_count,
        red_list_count,
        black_list_count,
        last_decided_on,
        case
            when black_list_count > 0 then 'black_list'
            when penalty_count > 0 then 'penalised'
            when red_list_count > 0 then 'red_list'
            else 'normal'
        end as credit_status
    from subjects

)

select * from final
