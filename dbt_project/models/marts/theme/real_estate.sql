{{ config(**night_incremental('property_cert_no')) }}
-- 不动产登记 Real estate: one row per property title (nrp_real_estate) with its parcel's township and
-- land use (spatial geography library); the owner is identified by ID number only — names come
-- from the population library.
with

titles as (

    select * from {{ ref('stg_nrp__real_estate') }}
    where {{ night_filter('dt') }} and property_cert_no is not null

),

parcels as (

    select parcel_id, township_code, county_code, land_use_code from {{ ref('spatial_geography') }}

),

population as (

    select id_number from {{ ref('population') }}

),

latest as (

    select *
    from (
        select *, row_number() over (partition by property_cert_no order by dt desc) as delivery_rank
        from titles
    ) as ranked
    where delivery_rank = 1

),

final as (

    select
        latest.property_cert_no,
        latest.parcel_id,
        parcels.township_code,
        parcels.county_code,
        parcels.land_use_code,
        latest.owner_id_number,
        population.id_number is not null as is_owner_registered,
        latest.property_use,
        latest.floor_area_sqm,
        latest.registered_on,
        latest.dt
    from latest
    left join parcels on parcels.parcel_id = latest.parcel_id
    left join population on population.id_number = latest.owner_id_number

)

select * from final
