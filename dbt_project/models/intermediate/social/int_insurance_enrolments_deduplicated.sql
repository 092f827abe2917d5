-- Social insurance enrolments (hrss_insurance, a watermark feed): the latest version of each enrolment.
with

insurance as (

    select * from {{ ref('stg_hrss__insurance') }}
    where is_id_number_valid

),

final as (

    select enrolment_id, id_number, insurance_type, insurance_status, start_date, employer_uscc, updated_at, dt
    from (
        select *, row_number() over (partition by enrolment_id order by updated_at desc, dt desc) as version_rank
        from insurance
    ) as ranked
    where version_rank = 1

)

select * from final
