-- 地名地址库 Address library: one row per standard address — house numbers from Public Security
-- (psb_house_numbers) and standard place names from Civil Affairs (civil_place_names) — each
-- assigned to its grid cell, township and parcel by point-in-polygon.
with

house_numbers as (

    select * from {{ ref('stg_psb__house_numbers') }}
    where address_id is not null

),

place_names as (

    select * from {{ ref('stg_civil__place_names') }}
    where place_name_id is not null

),

locations as (

    select * from {{ ref('int_locations_assigned') }}

),

addresses as (

    select
        'house_number' as address_kind, address_id as source_id, full_address, cast(null as varchar) as place_name,
        road_name, house_number,
        building_no, cast(null as varchar) as place_type, township_code, longitude, latitude
    from house_numbers
    union all
    select
        'place_name' as address_kind, place_name_id as source_id, cast(null as varchar) as full_address, place_name,
        cast(null as varchar) as road_name, cast(null as varchar) as house_number, cast(null as varchar) as building_no,
        place_type, township_code, longitude, latitude
    from place_names

),

final as (

    select
        case when addresses.address_kind = 'house_number' then 'HN-' else 'PN-' end || addresses.source_id
                                                                   as address_key,
        addresses.address_kind,
        addresses.source_id,
        addresses.full_address,
        addresses.place_name,
        addresses.road_name,
        addresses.house_number,
        addresses.building_no,
        addresses.place_type,
        addresses.township_code,
        substr(addresses.township_code, 1, 6)                      as county_code,
        addresses.longitude,
        addresses.latitude,
        locations.grid_id,
        locations.located_township_code,
        locations.parcel_id,
        locations.located_township_code = addresses.township_code  as is_township_consistent
    from addresses
    left join locations
        on locations.subject_type = addresses.address_kind and locations.subject_id = addresses.source_id

)

select * from final
