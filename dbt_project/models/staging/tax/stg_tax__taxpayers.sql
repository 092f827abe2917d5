-- Taxpayer status / 纳税人状态信息 (tax_taxpayers): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_tax__taxpayers_rows (only new or changed rows each night).
with

staged as (

<<<<<<< HEAD
    {{ delivered('tax_taxpayers') }}

),

renamed as (

    select
        cl_uscc_normalize(uscc)        as uscc,
        cl_uscc_valid(uscc)            as is_uscc_valid,
        cl_clean(entity_name)          as entity_name,
        {{ standard_code('tax_status', 'tax_status') }} as tax_status,
        {{ standard_code('tax_credit_grade', 'tax_credit_grade') }} as tax_credit_grade,
        cast(cl_parse_number(tax_paid_ytd) as decimal(18,2))  as tax_paid_ytd,
        cast(dt as date)               as dt
    from delivered
=======
    select * from {{ ref('stg_tax__taxpayers_rows') }}
>>>>>>> incremental

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
