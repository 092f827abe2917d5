-- Electronic licences and certificates / 电子证照信息 (gsb_licenses): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_gsb__licenses_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_gsb__licenses_rows') }}

),

final as (

    select
        license_no,
        license_type_code,
        holder_id_number,
        is_holder_id_number_valid,
        holder_uscc,
        is_holder_uscc_valid,
        holder_name,
        issuer_department_id,
        issued_on,
        expires_on,
        license_status,
        {{ snapshot_dt('gsb_licenses') }} as dt
    from staged

)

select * from final
