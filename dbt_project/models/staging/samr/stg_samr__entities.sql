-- Market entity registrations (enterprises and individual businesses) / 市场主体登记信息 (samr_entities): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_samr__entities_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_samr__entities_rows') }}

),

final as (

    select
        uscc,
        is_uscc_valid,
        uscc_invalid_reason,
        entity_name,
        entity_type,
        legal_rep_name,
        legal_rep_id_number,
        is_legal_rep_id_number_valid,
        registered_capital,
        established_on,
        industry_code,
        industry_section,
        registered_address,
        township_code,
        registration_status,
        phone,
        is_phone_valid,
        {{ snapshot_dt('samr_entities') }} as dt
    from staged

)

select * from final
