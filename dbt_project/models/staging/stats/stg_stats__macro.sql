-- Macro-economic indicators / 宏观经济指标数据 (stats_macro): snapshot feed: the latest delivery on or before the run date. Its rows are cleaned once, in stg_stats__macro_rows (only new or changed rows each night).
with

staged as (

    select * from {{ ref('stg_stats__macro_rows') }}

),

final as (

    select
        stat_indicator_code,
        stat_indicator_name,
        period,
        division_code,
        value,
        unit,
        {{ snapshot_dt('stats_macro') }} as dt
    from staged

)

select * from final
