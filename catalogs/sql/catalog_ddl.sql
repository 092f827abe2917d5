-- The catalog schema in the lake (GB/T 21063 core metadata; one row per resource / data item).
create schema if not exists catalog;

create table if not exists catalog.entries (
    resource_code      varchar,   -- 信息资源代码 类项目细目/顺序码
    model              varchar,   -- <schema>.<table> in the lake
    schema_name        varchar,
    table_name         varchar,
    library            varchar,
    class_code         varchar,   -- 类
    item_code          varchar,   -- 项
    category_code      varchar,   -- 目
    subcategory_code   varchar,   -- 细目
    name_zh            varchar,   -- 信息资源名称
    name_en            varchar,
    provider_id        varchar,
    provider_zh        varchar,   -- 信息资源提供方
    provider_en        varchar,
    provider_code      varchar,   -- 信息资源提供方代码
    summary_zh         varchar,   -- 信息资源摘要
    summary_en         varchar,
    format             varchar,   -- 信息资源格式
    share_type         varchar,   -- 共享类型 unconditional|conditional|not_shared
    share_condition    varchar,   -- 共享条件
    share_method       varchar,   -- 共享方式
    open_type          varchar,   -- 开放属性 unconditional|conditional|not_open
    open_condition     varchar,   -- 开放条件
    update_cycle       varchar,   -- 更新周期 (code set update_cycle)
    published_on       date,      -- 发布日期 (first night the entry was published)
    related_codes      varchar[], -- 关联资源代码
    source_feeds       varchar[],
    departments        varchar[],
    aggregated         boolean,
    row_count          bigint,
    generated_on       date
);

create table if not exists catalog.items (
    resource_code      varchar,
    position           integer,
    column_name        varchar,
    name_zh            varchar,   -- 信息项名称
    name_en            varchar,
    data_type          varchar,   -- 数据类型 (code set data_type)
    data_length        integer,   -- 数据长度
    element            varchar,   -- 数据元 id (standards/elements)
    pii                varchar,   -- pii class (code set pii_class)
    share_type         varchar,   -- per item: unconditional|conditional|not_shared
    share_condition    varchar,
    open_type          varchar,   -- per item: unconditional|conditional|not_open
    mask               varchar,   -- masking macro applied before the item leaves (or 'drop')
    rules              varchar    -- the policy rules that decided the item
);

create table if not exists catalog.history (
    night              date,
    recorded_at        timestamp,
    resource_code      varchar,
    model              varchar,
    change             varchar,   -- added | removed | changed | item_added | item_removed | item_changed
    field              varchar,
    old_value          varchar,
    new_value          varchar
);
