-- Estate gate passages / 小区门禁通行记录 (housing_passages): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('housing_passages') }}

),

renamed as (

    select
        cl_clean(passage_id)           as passage_id,
        cl_clean(estate_id)            as estate_id,
        cl_ric_normalize(id_number)    as id_number,
        cl_ric_valid(id_number)        as is_id_number_valid,
        cl_parse_timestamp(passed_at)  as passed_at,
        {{ standard_code('direction', 'direction') }} as direction,
        {{ standard_code('access_method', 'access_method') }} as access_method,
        cast(dt as date)               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
