-- Household registration (resident identity) / 户籍人口信息 (psb_household): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_psb__household_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_psb__household_rows') }}

),

final as (

    select
        id_number,
        is_id_number_valid,
        id_number_invalid_reason,
        person_name,
        sex_code,
        birth_date,
        ethnic_code,
        household_id,
        relation_to_head,
        township_code,
        domicile_address,
        education_code,
        phone,
        is_phone_valid,
        registered_on,
        id_crosscheck_issue,
        {{ snapshot_dt('psb_household') }} as dt
    from staged

)

select * from final
