-- Scenic-spot visitor counts / 景区客流信息 (culture_scenic_visits): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('culture_scenic_visits') }}

),

renamed as (

    select
        cl_clean(scenic_spot_id)                             as scenic_spot_id,
        cl_clean(scenic_spot_name)                           as scenic_spot_name,
        cl_clean(township_code)                              as township_code,
        cl_parse_date(visit_date)                            as visit_date,
        try_cast(cl_parse_number(visitor_count) as integer)  as visitor_count,
        cast(cl_parse_number(revenue_cny) as decimal(18,2))  as revenue_cny,
        cast(dt as date)                                     as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
