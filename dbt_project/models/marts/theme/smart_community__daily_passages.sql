{{ config(**night_incremental('dt')) }}
-- 智慧社区·通行 Daily passages per estate (housing_passages): in/out passages, distinct persons, by access method.
with

passages as (

    select * from {{ ref('stg_housing__passages') }}
    where {{ night_filter('dt') }}

),

final as (

    select
        dt,
        estate_id,
        count(*)                                                   as passage_count,
        sum(case when direction = 'in' then 1 else 0 end)          as in_count,
        sum(case when direction = 'out' then 1 else 0 end)         as out_count,
        count(distinct id_number)                                  as person_count,
        sum(case when access_method = 'face' then 1 else 0 end)    as face_count,
        sum(case when access_method = 'card' then 1 else 0 end)    as card_count,
        sum(case when access_method = 'qr' then 1 else 0 end)      as qr_count
    from passages
    group by dt, estate_id

)

select * from final
