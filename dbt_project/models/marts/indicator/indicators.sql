-- 指标库 Indicator declarations (indicators/*.yml), bilingual: what each series in indicator.series means.
with

declarations as (

    {% for ind in indicator_declarations() %}
    select
        {{ sql_string(ind.id) }}         as indicator_id,
        {{ sql_string(ind.name_zh) }}    as name_zh,
        {{ sql_string(ind.name_en) }}    as name_en,
        {{ sql_string(ind.definition) }} as definition,
        {{ sql_string(ind.unit) }}       as unit,
        {{ sql_string(ind.owner) }}      as owner_department,
        {{ sql_string(ind.model) }}      as source_model,
        {{ sql_string(ind.measure) }}    as measure,
        {{ sql_string(ind.filter) }}     as filter_condition,
        {{ sql_string(ind.grain) }}      as time_grain,
        {{ sql_string(ind.time) }}       as time_column,
        {{ sql_string(((['all'] if ind.total else []) + ind.dimensions | map('first') | list) | join(',')) }} as dimensions
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from declarations

)

select * from final
