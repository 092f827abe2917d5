{{ config(**snapshot_rows_config('samr_entities')) }}
-- Market entity registrations (enterprises and individual businesses) / 市场主体登记信息 (samr_entities): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('samr_entities') }}

),

renamed as (

    select
        cl_uscc_normalize(uscc)                as uscc,
        cl_uscc_valid(uscc)                    as is_uscc_valid,
        cl_uscc_reason(uscc)                   as uscc_invalid_reason,
        cl_clean(entity_name)                  as entity_name,
        {{ standard_code('entity_type', 'entity_type') }} as entity_type,
        cl_clean(legal_rep_name)               as legal_rep_name,
        cl_ric_normalize(legal_rep_id_number)  as legal_rep_id_number,
        cl_ric_valid(legal_rep_id_number)      as is_legal_rep_id_number_valid,
        cast(cl_parse_number(registered_capital) as decimal(18,2))  as registered_capital,
        cl_parse_date(established_on)          as established_on,
        cl_clean(industry_code)                as industry_code,
        cl_industry_section(industry_code)     as industry_section,
        cl_clean(registered_address)           as registered_address,
        cl_clean(township_code)                as township_code,
        {{ standard_code('registration_status', 'registration_status') }} as registration_status,
        cl_phone_normalize(phone)              as phone,
        cl_phone_valid(phone)                  as is_phone_valid,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
