{{ config(**snapshot_rows_config('gsb_licenses')) }}
-- Electronic licences and certificates / 电子证照信息 (gsb_licenses): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('gsb_licenses') }}

),

renamed as (

    select
        cl_clean(license_no)                as license_no,
        {{ standard_code('license_type', 'license_type_code') }} as license_type_code,
        cl_ric_normalize(holder_id_number)  as holder_id_number,
        cl_ric_valid(holder_id_number)      as is_holder_id_number_valid,
        cl_uscc_normalize(holder_uscc)      as holder_uscc,
        cl_uscc_valid(holder_uscc)          as is_holder_uscc_valid,
        cl_clean(holder_name)               as holder_name,
        cl_clean(issuer_department_id)      as issuer_department_id,
        cl_parse_date(issued_on)            as issued_on,
        cl_parse_date(expires_on)           as expires_on,
        {{ standard_code('license_status', 'license_status') }} as license_status,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
