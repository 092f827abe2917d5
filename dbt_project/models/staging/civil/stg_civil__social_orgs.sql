-- Social organisation registrations / 社会组织登记信息 (civil_social_orgs): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_civil__social_orgs_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_civil__social_orgs_rows') }}

),

final as (

    select
        uscc,
        is_uscc_valid,
        entity_name,
        entity_type,
        legal_rep_name,
        established_on,
        township_code,
        {{ snapshot_dt('civil_social_orgs') }} as dt
    from staged

)

select * from final
