{{ config(**snapshot_rows_config('civil_social_orgs')) }}
-- Social organisation registrations / 社会组织登记信息 (civil_social_orgs): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('civil_social_orgs') }}

),

renamed as (

    select
        cl_uscc_normalize(uscc)        as uscc,
        cl_uscc_valid(uscc)            as is_uscc_valid,
        cl_clean(entity_name)          as entity_name,
        {{ standard_code('entity_type', 'entity_type') }} as entity_type,
        cl_clean(legal_rep_name)       as legal_rep_name,
        cl_parse_date(established_on)  as established_on,
        cl_clean(township_code)        as township_code,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
