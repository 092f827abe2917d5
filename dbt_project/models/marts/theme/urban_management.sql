{{ config(**night_incremental('case_id')) }}
-- 智慧城管 Urban management: one row per city management case (urban_cases), its latest status and
-- the hours to closure; a case re-delivered on a later night is replaced by its latest state.
with

cases as (

    select * from {{ ref('stg_urban__cases') }}
    where {{ night_filter('dt') }} and case_id is not null

),

latest as (

    select *
    from (
        select *, row_number() over (partition by case_id order by dt desc) as delivery_rank
        from cases
    ) as ranked
    where delivery_rank = 1

),

final as (

    select
        case_id,
        case_type,
        township_code,
        substr(township_code, 1, 6)                             as county_code,
        reported_at,
        cast(reported_at as date)                               as reported_on,
        closed_at,
        case_status,
        case_status = 'closed'                                  as is_closed,
        cast({{ date_diff_boundaries('minute', 'reported_at', 'closed_at') }} as double)
            / 60                                                as hours_to_close,
        dt
    from latest

)

select * from final
