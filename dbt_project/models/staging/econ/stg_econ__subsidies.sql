-- Enterprise policy disbursements / 惠企政策兑现信息 (econ_subsidies): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('econ_subsidies') }}

),

renamed as (

    select
        cl_clean(disbursement_id)            as disbursement_id,
        cl_uscc_normalize(uscc)              as uscc,
        cl_uscc_valid(uscc)                  as is_uscc_valid,
        cl_clean(entity_name)                as entity_name,
        cl_clean(policy_name)                as policy_name,
        cast(cl_parse_number(amount_cny) * 10000 as decimal(18,2))  as amount_cny,
        cl_parse_date(disbursed_on)          as disbursed_on,
        cast(dt as date)                     as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
