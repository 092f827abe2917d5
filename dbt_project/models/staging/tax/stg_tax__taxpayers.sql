-- Taxpayer status / 纳税人状态信息 (tax_taxpayers): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_tax__taxpayers_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_tax__taxpayers_rows') }}

),

final as (

    select
        uscc,
        is_uscc_valid,
        entity_name,
        tax_status,
        tax_credit_grade,
        tax_paid_ytd,
        {{ snapshot_dt('tax_taxpayers') }} as dt
    from staged

)

select * from final
