{{ config(**night_incremental('dt')) }}
-- Domicile changes observed in the nightly household snapshots (authoritative: psb_household):
-- a night appends the persons whose township or household differs from the last state seen
-- before that night. delete+insert by dt: re-running a night replaces exactly its rows.
with

household as (

    select id_number, township_code, household_id, domicile_address, dt
    from {{ ref('stg_psb__household') }}
    where is_id_number_valid

),

snapshot as (

    select id_number, township_code, household_id, domicile_address, dt
    from (
        select *, row_number() over (partition by id_number order by township_code nulls last, household_id nulls last) as person_rank
        from household
    ) as ranked
    where person_rank = 1

),

{% if is_incremental() %}
previous as (

    select id_number, township_code, household_id
    from (
        select *, row_number() over (partition by id_number order by dt desc) as change_rank
        from {{ this }}
        where dt < {{ run_date() }}
    ) as ranked
    where change_rank = 1

),
{% endif %}

changed as (

    select snapshot.*
    from snapshot
    {% if is_incremental() %}
    left join previous on previous.id_number = snapshot.id_number
    where previous.id_number is null
       or previous.township_code is distinct from snapshot.township_code
       or previous.household_id is distinct from snapshot.household_id
    {% endif %}

),

final as (

    select id_number, township_code, household_id, domicile_address, dt
    from changed

)

select * from final
