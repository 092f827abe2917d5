-- 宏观经济库 Macro-economy library: one row per statistical indicator, division and period
-- (Statistics Bureau, stats_macro).
with

macro as (

    select * from {{ ref('stg_stats__macro') }}
    where stat_indicator_code is not null and period is not null and division_code is not null

),

final as (

    select
        stat_indicator_code || '|' || division_code || '|' || period as observation_key,
        stat_indicator_code,
        stat_indicator_name,
        division_code,
        period,
        value,
        unit
    from macro

)

select * from final
