-- 电子证照库 E-licence library: one row per licence (issued by each department, collected by
-- Government Services, gsb_licenses), with its holder and its validity on the run date.
with

licenses as (

    select * from {{ ref('stg_gsb__licenses') }}
    where license_no is not null

),

final as (

    select
        license_no,
        license_type_code,
        case when holder_uscc is not null then 'entity' else 'person' end as holder_kind,
        holder_id_number,
        holder_uscc,
        holder_name,
        issuer_department_id,
        issued_on,
        expires_on,
        license_status,
        license_status = 'valid' and (expires_on is null or expires_on >= {{ run_date() }}) as is_valid_on_run_date
    from licenses

)

select * from final
