-- 社会信用库·记录 Credit records (ndrc_credit_records): licences, penalties, red and black list decisions.
with

credit_records as (

    select * from {{ ref('stg_ndrc__credit_records') }}
    where is_uscc_valid and record_id is not null

),

final as (

    select record_id, uscc, credit_record_type, decided_on, authority_department_id, record_content, dt
    from (
        select *, row_number() over (partition by record_id order by dt desc) as delivery_rank
        from credit_records
    ) as ranked
    where delivery_rank = 1

)

select * from final
