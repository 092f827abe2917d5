-- One data, one source (一数一源) consistency findings: a non-authoritative feed delivers an element
-- for a subject the authoritative source also holds, with a different value. Reported back to the
-- delivering department (信息校核); the base libraries never take these values.
{%- set checks = [
    {'element': 'person_name', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'person_name',
     'model': 'stg_health__hospital_visits', 'model_key': 'id_number', 'col': 'person_name'},
    {'element': 'birth_date', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'birth_date',
     'model': 'stg_health__hospital_visits', 'model_key': 'id_number', 'col': 'birth_date'},
    {'element': 'person_name', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'person_name',
     'model': 'stg_health__deaths', 'model_key': 'id_number', 'col': 'person_name'},
    {'element': 'person_name', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'person_name',
     'model': 'stg_hrss__insurance', 'model_key': 'id_number', 'col': 'person_name'},
    {'element': 'person_name', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'person_name',
     'model': 'stg_housing__residents', 'model_key': 'id_number', 'col': 'person_name'},
    {'element': 'person_name', 'key': 'id_number', 'auth': 'stg_psb__household', 'auth_col': 'person_name',
     'model': 'stg_nrp__real_estate', 'model_key': 'owner_id_number', 'col': 'owner_name'},
    {'element': 'entity_name', 'key': 'uscc', 'auth': 'stg_samr__entities', 'auth_col': 'entity_name',
     'model': 'stg_tax__taxpayers', 'model_key': 'uscc', 'col': 'entity_name'},
    {'element': 'entity_name', 'key': 'uscc', 'auth': 'stg_samr__entities', 'auth_col': 'entity_name',
     'model': 'stg_econ__subsidies', 'model_key': 'uscc', 'col': 'entity_name'},
] -%}
{%- set feed_of = {
    'stg_psb__household': ('psb', 'psb_household'), 'stg_samr__entities': ('samr', 'samr_entities'),
    'stg_health__hospital_visits': ('health', 'health_hospital_visits'), 'stg_health__deaths': ('health', 'health_deaths'),
    'stg_hrss__insurance': ('hrss', 'hrss_insurance'), 'stg_housing__residents': ('housing', 'housing_residents'),
    'stg_nrp__real_estate': ('nrp', 'nrp_real_estate'), 'stg_tax__taxpayers': ('tax', 'tax_taxpayers'),
    'stg_econ__subsidies': ('econ', 'econ_subsidies'),
} %}

with

{% for c in checks %}
authoritative_{{ loop.index }} as (

    select {{ c.key }} as subject_key, cast({{ c.auth_col }} as varchar) as authoritative_value
    from {{ ref(c.auth) }}
    where {{ c.key }} is not null and {{ c.auth_col }} is not null

),

delivered_{{ loop.index }} as (

    select {{ c.model_key }} as subject_key, cast({{ c.col }} as varchar) as delivered_value, dt
    from {{ ref(c.model) }}
    where {{ c.model_key }} is not null and {{ c.col }} is not null

),

findings_{{ loop.index }} as (

    select
        delivered.subject_key,
        '{{ c.element }}'                      as element,
        '{{ feed_of[c.auth][0] }}'             as authoritative_department,
        '{{ feed_of[c.auth][1] }}'             as authoritative_feed,
        authoritative.authoritative_value,
        delivered.delivered_value,
        '{{ feed_of[c.model][0] }}'            as department,
        '{{ feed_of[c.model][1] }}'            as feed,
        '{{ c.col }}'                          as field,
        delivered.dt
    from delivered_{{ loop.index }} as delivered
    inner join authoritative_{{ loop.index }} as authoritative
        on authoritative.subject_key = delivered.subject_key
    where authoritative.authoritative_value <> delivered.delivered_value

),

{% endfor %}
unioned as (

    {% for c in checks %}
    select * from findings_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select distinct
        subject_key,
        element,
        authoritative_department,
        authoritative_feed,
        authoritative_value,
        delivered_value,
        department,
        feed,
        field,
        dt
    from unioned

)

select * from final
