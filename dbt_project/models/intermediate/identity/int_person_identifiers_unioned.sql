-- Every ID number any feed delivers, with the feed and night it came from (input of identity resolution).
{%- set person_ids = [
    ('stg_psb__household', 'id_number', 'psb_household'),
    ('stg_health__births', 'id_number', 'health_births'),
    ('stg_health__births', 'mother_id_number', 'health_births'),
    ('stg_health__deaths', 'id_number', 'health_deaths'),
    ('stg_health__hospital_visits', 'id_number', 'health_hospital_visits'),
    ('stg_health__tests', 'id_number', 'health_tests'),
    ('stg_civil__marriages', 'id_number', 'civil_marriages'),
    ('stg_civil__subsidies', 'id_number', 'civil_subsidies'),
    ('stg_hrss__insurance', 'id_number', 'hrss_insurance'),
    ('stg_hrss__employment', 'id_number', 'hrss_employment'),
    ('stg_housing__residents', 'id_number', 'housing_residents'),
    ('stg_edu__enrolments', 'id_number', 'edu_enrolments'),
    ('stg_gsb__applications', 'id_number', 'gsb_applications'),
    ('stg_gsb__licenses', 'holder_id_number', 'gsb_licenses'),
    ('stg_nrp__real_estate', 'owner_id_number', 'nrp_real_estate'),
    ('stg_samr__entities', 'legal_rep_id_number', 'samr_entities'),
] %}
with

{% for model, column, feed in person_ids %}
ids_{{ loop.index }} as (

    select {{ column }} as delivered_id_number, '{{ feed }}' as feed, dt
    from {{ ref(model) }}
    where {{ column }} is not null

),

{% endfor %}
unioned as (

    {% for model, column, feed in person_ids %}
    select delivered_id_number, feed, dt from ids_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select delivered_id_number, feed, min(dt) as first_seen_on, max(dt) as last_seen_on, count(*) as row_count
    from unioned
    group by delivered_id_number, feed

)

select * from final
