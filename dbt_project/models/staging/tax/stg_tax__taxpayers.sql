-- Taxpayer status / 纳税人状态信息 (tax_taxpayers): snapshot feed: the latest delivery on or before the run date.
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
        cast(dt as date)               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
