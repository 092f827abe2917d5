{{ config(**night_incremental('dt')) }}
-- 政务服务 Government services (一网通办): per night, handling department and service item — applications,
-- decisions, approvals, instant approvals (秒批) and their rate, and the mean processing time.
with

applications as (

    select * from {{ ref('stg_gsb__applications') }}
    where {{ night_filter('dt') }}

),

final as (

    select
        dt,
        department_id,
        service_item_code,
        min(service_item_name)                                                         as service_item_name,
        count(*)                                                                       as application_count,
        sum(case when id_number is not null then 1 else 0 end)                         as person_application_count,
        sum(case when uscc is not null then 1 else 0 end)                              as entity_application_count,
        sum(case when decided_at is not null then 1 else 0 end)                        as decided_count,
        sum(case when decision = 'approved' then 1 else 0 end)                         as approved_count,
        sum(case when is_instant_approval then 1 else 0 end)                           as instant_approval_count,
        cast(sum(case when is_instant_approval then 1 else 0 end)
            * 1.0 / count(*) as decimal(9,4))                                          as instant_approval_rate,
        avg({{ date_diff_boundaries('minute', 'submitted_at', 'decided_at') }})
            / 60                                                                       as mean_hours_to_decision
    from applications
    group by dt, department_id, service_item_code

)

select * from final
