-- Social organisation registrations / 社会组织登记信息 (civil_social_orgs): snapshot feed: the latest delivery on or before the run date.
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
        cast(dt as date)               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
