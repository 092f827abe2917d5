-- Macro-economic indicators / 宏观经济指标数据 (stats_macro): snapshot feed: the latest delivery on or before the run date.
with

source as (

    select * from {{ source('raw', 'stats_macro') }}

),

deliveries as (

    select * from source
    where cast(dt as date) <= {{ run_date() }}

),

latest as (

    select * from deliveries
    where cast(dt as date) = (select max(cast(dt as date)) from deliveries)

),

renamed as (

    select
        cl_clean(stat_indicator_code)                           as stat_indicator_code,
        cl_clean(stat_indicator_name)                           as stat_indicator_name,
        replace(replace(cl_clean(period), '/', '-'), '.', '-')  as period,
        cl_clean(division_code)                                 as division_code,
        cl_parse_number(value)                                  as value,
        cl_clean(unit)                                          as unit,
        cast(dt as date)                                        as dt
    from latest

),

final as (

    select * from renamed

)

select * from final
