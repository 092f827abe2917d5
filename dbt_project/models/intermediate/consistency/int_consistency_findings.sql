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

{#- one scan of each authoritative model (it is a view over the night's raw delivery): every check
    on the same authoritative model and key joins one `authoritative_<model>` row set -#}
{%- set auth_models = [] -%}
{%- for c in checks if c.auth not in auth_models %}{% do auth_models.append(c.auth) %}{% endfor %}

with

{% for a in auth_models %}
{%- set cols = [] -%}
{%- for c in checks if c.auth == a and c.auth_col not in cols %}{% do cols.append(c.auth_col) %}{% endfor %}
{%- set key = (checks | selectattr('auth', 'equalto', a) | first).key %}
authoritative_{{ a }} as (

    select
        {{ key }} as subject_key{% for col in cols %},
        cast({{ col }} as {{ dbt.type_string() }}) as {{ col }}{% endfor %}
    from {{ ref(a) }}
    where {{ key }} is not null

),

delivered_{{ a }} as (
    {% for c in checks if c.auth == a %}
    select
        {{ c.model_key }}                      as subject_key,
        '{{ c.element }}'                      as element,
        '{{ c.auth_col }}'                     as authoritative_column,
        cast({{ c.col }} as {{ dbt.type_string() }}) as delivered_value,
        '{{ feed_of[c.model][0] }}'            as department,
        '{{ feed_of[c.model][1] }}'            as feed,
        '{{ c.col }}'                          as field,
        dt
    from {{ ref(c.model) }}
    where {{ c.model_key }} is not null and {{ c.col }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

findings_{{ a }} as (

    select
        delivered.subject_key,
        delivered.element,
        '{{ feed_of[a][0] }}'                  as authoritative_department,
        '{{ feed_of[a][1] }}'                  as authoritative_feed,
        case delivered.authoritative_column
            {%- for col in cols %}
            when '{{ col }}' then authoritative.{{ col }}
            {%- endfor %}
        end                                    as authoritative_value,
        delivered.delivered_value,
        delivered.department,
        delivered.feed,
        delivered.field,
        delivered.dt
    from delivered_{{ a }} as delivered
    inner join authoritative_{{ a }} as authoritative
        on authoritative.subject_key = delivered.subject_key

),

{% endfor %}
unioned as (

    {% for a in auth_models %}
    select * from findings_{{ a }}
    where authoritative_value <> delivered_value
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
