-- Every unified social credit code any feed delivers, with the feed and night it came from.
{%- set entity_ids = [
    ('stg_samr__entities', 'uscc', 'samr_entities'),
    ('stg_civil__social_orgs', 'uscc', 'civil_social_orgs'),
    ('stg_tax__taxpayers', 'uscc', 'tax_taxpayers'),
    ('stg_hrss__insurance', 'employer_uscc', 'hrss_insurance'),
    ('stg_hrss__employment', 'employer_uscc', 'hrss_employment'),
    ('stg_econ__subsidies', 'uscc', 'econ_subsidies'),
    ('stg_ndrc__credit_records', 'uscc', 'ndrc_credit_records'),
    ('stg_gsb__applications', 'uscc', 'gsb_applications'),
    ('stg_gsb__licenses', 'holder_uscc', 'gsb_licenses'),
] %}
with

{% for model, column, feed in entity_ids %}
ids_{{ loop.index }} as (

    select {{ column }} as delivered_uscc, '{{ feed }}' as feed, dt
    from {{ ref(model) }}
    where {{ column }} is not null

),

{% endfor %}
unioned as (

    {% for model, column, feed in entity_ids %}
    select delivered_uscc, feed, dt from ids_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select delivered_uscc, feed, min(dt) as first_seen_on, max(dt) as last_seen_on, count(*) as row_count
    from unioned
    group by delivered_uscc, feed

)

select * from final
