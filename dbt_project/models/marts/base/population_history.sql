-- 人口库历史 Population history (SCD2): per registered person, periods [valid_from, valid_to) in which
-- both the domicile (township, household) and the marital status were constant.
-- The open end of a period is compared as 9999-12-31 (coalesce), not with `valid_to is null or …`:
-- an OR in a LEFT JOIN condition forces a nested-loop join (quadratic: 233 s at scale 0.1),
-- plain comparisons keep it a hash join on id_number.
with

population as (

    select id_number from {{ ref('population') }}

),

domicile as (

    select * from {{ ref('int_persons_domicile_historized') }}

),

marital as (

    select * from {{ ref('int_persons_marital_historized') }}

),

first_domicile as (

    -- before the first observed night the person's domicile is taken as the first observed one
    select id_number, township_code, household_id
    from (
        select *, row_number() over (partition by id_number order by valid_from) as change_rank
        from domicile
    ) as ranked
    where change_rank = 1

),

change_points as (

    select id_number, valid_from from domicile
    union
    select id_number, valid_from from marital

),

states as (

    select
        population.id_number,
        change_points.valid_from,
        coalesce(domicile.township_code, first_domicile.township_code) as township_code,
        coalesce(domicile.household_id, first_domicile.household_id)   as household_id,
        marital.marital_status_code
    from change_points
    inner join population on population.id_number = change_points.id_number
    left join domicile
        on domicile.id_number = change_points.id_number
       and domicile.valid_from <= change_points.valid_from
       and coalesce(domicile.valid_to, date '9999-12-31') > change_points.valid_from
    left join first_domicile on first_domicile.id_number = change_points.id_number
    left join marital
        on marital.id_number = change_points.id_number
       and marital.valid_from <= change_points.valid_from
       and coalesce(marital.valid_to, date '9999-12-31') > change_points.valid_from

),

final as (

    select
        id_number,
        valid_from,
        lead(valid_from) over (partition by id_number order by valid_from)         as valid_to,
        lead(valid_from) over (partition by id_number order by valid_from) is null as is_current,
        township_code,
        substr(township_code, 1, 6)                                                as county_code,
        household_id,
        marital_status_code
    from states

)

select * from final
