-- A small lake for the service tests: two base tables and the catalog rows the night would publish.
create schema if not exists base;

create table base.legal_entity as
select '91510600' || lpad(i::varchar, 10, '0') as uscc,
       '德阳测试企业' || i as entity_name,
       case when i % 10 = 0 then 'revoked' else 'active' end as registration_status,
       '510603' || lpad((i % 5)::varchar, 3, '0') as township_code,
       (i * 1000.5)::decimal(18, 2) as registered_capital,
       '1380000' || lpad(i::varchar, 4, '0') as contact_phone,
       '张' || i as legal_rep_name,
       '年报联系人电话 1391111' || lpad(i::varchar, 4, '0') || ' 已核实' as remark     -- free text, scrubbed
from range(1, $entities + 1) t(i);

create table base.population as
select '510603199001' || lpad(i::varchar, 5, '0') || 'X' as id_number,
       '李' || i as person_name,
       case when i % 2 = 0 then '510603' else '510681' end as county_code
from range(1, $people + 1) t(i);

create table base.health_record as
select '510603199001' || lpad(i::varchar, 5, '0') || 'X' as id_number, 'J45' as diagnosis_code
from range(1, 4) t(i);

insert into catalog.entries (resource_code, model, schema_name, table_name, name_zh, name_en, provider_id,
                             provider_zh, share_type, share_condition, update_cycle, row_count)
values ('102001001/000001', 'base.legal_entity', 'base', 'legal_entity', '法人单位基础信息', 'Legal entities',
        'samr', '市场监督管理局', 'unconditional', '', 'daily', $entities),
       ('101001001/000001', 'base.population', 'base', 'population', '人口基础信息', 'Population',
        'psb', '公安局', 'conditional', '经申请审批后共享', 'daily', $people),
       ('105001001/000001', 'base.health_record', 'base', 'health_record', '健康档案', 'Health records',
        'health', '卫生健康委', 'not_shared', '涉及个人敏感信息，依法不予共享', 'daily', 3);

insert into catalog.items (resource_code, position, column_name, name_zh, name_en, data_type, pii, share_type,
                           share_condition, mask)
values ('102001001/000001', 1, 'uscc', '统一社会信用代码', 'USCC', 'string', 'none', 'unconditional', '', null),
       ('102001001/000001', 2, 'entity_name', '单位名称', 'Name', 'string', 'none', 'unconditional', '', null),
       ('102001001/000001', 3, 'registration_status', '登记状态', 'Status', 'string', 'none', 'unconditional', '', null),
       ('102001001/000001', 4, 'township_code', '乡镇街道代码', 'Township', 'string', 'none', 'unconditional', '', null),
       ('102001001/000001', 5, 'registered_capital', '注册资本', 'Capital', 'decimal', 'none', 'unconditional', '', null),
       ('102001001/000001', 6, 'contact_phone', '联系电话', 'Phone', 'string', 'phone', 'unconditional', '', 'cat_mask_phone'),
       ('102001001/000001', 7, 'legal_rep_name', '法定代表人', 'Legal representative', 'string', 'name',
        'conditional', '经申请审批后共享', 'cat_mask_name'),
       ('102001001/000001', 8, 'remark', '备注', 'Remark', 'string', 'none', 'unconditional', '', 'cat_scrub_text'),
       ('101001001/000001', 1, 'id_number', '公民身份号码', 'ID number', 'string', 'id_number', 'conditional', '', 'cat_mask_id_number'),
       ('101001001/000001', 2, 'person_name', '姓名', 'Name', 'string', 'name', 'conditional', '', 'cat_mask_name'),
       ('101001001/000001', 3, 'county_code', '区县代码', 'County', 'string', 'none', 'unconditional', '', null),
       ('105001001/000001', 1, 'id_number', '公民身份号码', 'ID number', 'string', 'id_number', 'not_shared', '', 'drop'),
       ('105001001/000001', 2, 'diagnosis_code', '诊断代码', 'Diagnosis', 'string', 'health', 'not_shared',
        '涉及个人敏感信息，依法不予共享', 'drop');
