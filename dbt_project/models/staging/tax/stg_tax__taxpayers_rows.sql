{{ config(**snapshot_rows_config('tax_taxpayers')) }}
-- Taxpayer status / 纳税人状态信息 (tax_taxpayers): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

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
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
