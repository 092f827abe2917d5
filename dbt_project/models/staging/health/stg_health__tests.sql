-- Public-health tests and health-code status / 核酸及健康检测信息 (health_tests): increment feed: every night's delivery up to the run date (downstream incremental models take only the night's partition).
with

delivered as (

    {{ delivered('health_tests') }}

),

renamed as (

    select
        cl_clean(test_id)              as test_id,
        cl_ric_normalize(id_number)    as id_number,
        cl_ric_valid(id_number)        as is_id_number_valid,
        cl_parse_timestamp(tested_at)  as tested_at,
        {{ standard_code('test_type', 'test_type') }} as test_type,
        {{ standard_code('test_result', 'test_result') }} as test_result,
        {{ standard_code('health_code_color', 'health_code_color') }} as health_code_color,
        cast(dt as date)               as dt
    from delivered

),

final as (

    select * from renamed

)

select * from final
