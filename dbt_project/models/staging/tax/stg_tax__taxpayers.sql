-- Taxpayer status / 纳税人状态信息 (tax_taxpayers): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'tax_taxpayers') }}

),

deliveries as (

    select * from source
    where cast(dt as date) <= {{ run_date() }}

),

latest as (

    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)

),

renamed as (

    select
        cl_uscc_normalize(uscc)        as uscc,
        cl_uscc_valid(uscc)            as is_uscc_valid,
        cl_clean(entity_name)          as entity_name,
        {{ standard_code('tax_status', 'tax_status') }} as tax_status,
        {{ standard_code('tax_credit_grade', 'tax_credit_grade') }} as tax_credit_grade,
        cl_parse_number(tax_paid_ytd)  as tax_paid_ytd,
        cast(dt as date)               as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
