-- Customer orders; each is the order branch of one global transaction.
create table orders (
    id          varchar(64)  not null primary key,
    tx_id       varchar(64)  not null unique,
    customer_id varchar(64)  not null,
    sku         varchar(64)  not null,
    quantity    int          not null check (quantity > 0),
    protocol    varchar(8)   not null,
    status      varchar(16)  not null,
    reason      varchar(512),
    created_at  timestamp    not null,
    version     bigint       not null
);
create index orders_created_at on orders (created_at);
