-- Social assistance and elderly-care subsidies / 社会救助与养老补贴发放信息 (civil_subsidies): watermark feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('civil_subsidies') }}

),

renamed as (

    select
        cl_clean(payment_id)                                       as payment_id,
        cl_ric_normalize(id_number)                                as id_number,
        cl_ric_valid(id_number)                                    as is_id_number_valid,
        {{ standard_code('subsidy_type', 'subsidy_type') }} as subsidy_type,
        cast(cl_parse_number(amount_cny) as decimal(18,2))        as amount_cny,
        replace(replace(cl_clean(pay_month), '/', '-'), '.', '-')  as pay_month,
        cl_parse_timestamp(updated_at)                             as updated_at,
        cast(dt as date)                                           as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
