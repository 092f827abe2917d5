-- 指标库 Indicator series: every declared indicator (indicators/*.yml) by each of its dimensions,
-- computed nightly by the one generic macro indicator_series().
with

series as (

    {{ indicator_series() }}

),

final as (

    select indicator_id, dimension, dimension_member, period, value, unit
    from series
    where value is not null

)

select * from final
