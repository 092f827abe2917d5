-- Identity resolution: one row per person, keyed by the normalised (GB 11643) ID number.
-- Spellings of the same number (full-width digits, lowercase x, spaces) resolve to one person;
-- numbers failing the check character, birth date or division code are not persons.
with

identifiers as (

    select * from {{ ref('int_person_identifiers_unioned') }}

),

normalised as (

    select
        cl_ric_normalize(delivered_id_number) as person_id,
        cl_ric_valid(delivered_id_number)     as is_valid,
        feed,
        first_seen_on,
        last_seen_on,
        row_count
    from identifiers

),

resolved as (

    select
        person_id,
        max(case when feed = 'psb_household' then 1 else 0 end) = 1 as is_registered,
        count(distinct feed)                                       as feed_count,
        min(first_seen_on)                                         as first_seen_on,
        max(last_seen_on)                                          as last_seen_on,
        sum(row_count)                                             as row_count
    from normalised
    where is_valid
    group by person_id

),

final as (

    select
        person_id,
        cl_ric_birth_date(person_id) as birth_date_from_id,
        cl_ric_sex(person_id)        as sex_code_from_id,
        is_registered,
        feed_count,
        first_seen_on,
        last_seen_on,
        row_count
    from resolved

)

select * from final
