{{ config(**snapshot_rows_config('stats_macro')) }}
-- Macro-economic indicators / 宏观经济指标数据 (stats_macro): the cleaned rows of the snapshot feed; a night cleans only its new or changed rows (macros/snapshot_changes.sql).
with

delivered as (

    {{ delivered('stats_macro') }}

),

renamed as (

    select
        cl_clean(stat_indicator_code)                           as stat_indicator_code,
        cl_clean(stat_indicator_name)                           as stat_indicator_name,
        replace(replace(cl_clean(period), '/', '-'), '.', '-')  as period,
        cl_clean(division_code)                                 as division_code,
        cl_parse_number(value)                                  as value,
        cl_clean(unit)                                          as unit,
        _row_id
    from delivered

),

final as (

    select * from renamed

)

select * from final
