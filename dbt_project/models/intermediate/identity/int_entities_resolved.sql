-- Identity resolution of legal entities: one row per valid (GB 32100) unified social credit code.
with

identifiers as (

    select * from {{ ref('int_entity_identifiers_unioned') }}

),

normalised as (

    select
        cl_uscc_normalize(delivered_uscc) as entity_id,
        cl_uscc_valid(delivered_uscc)     as is_valid,
        feed,
        first_seen_on,
        last_seen_on,
        row_count
    from identifiers

),

final as (

    select
        entity_id,
        max(case when feed in ('samr_entities', 'civil_social_orgs') then 1 else 0 end) = 1 as is_registered,
        count(distinct feed)                                                              as feed_count,
        min(first_seen_on)                                                                as first_seen_on,
        max(last_seen_on)                                                                 as last_seen_on,
        sum(row_count)                                                                    as row_count
    from normalised
    where is_valid
    group by entity_id

)

select * from final
