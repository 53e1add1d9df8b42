-- Idempotency-Key records of POST /orders: one per key, written (and committed) before the order is placed, so a
-- retry after a crash finds the order's ids and resumes that order instead of placing a second one.
create table idempotency_keys (
    idem_key    varchar(255)  not null primary key,
    fingerprint varchar(64)   not null,
    order_id    varchar(64)   not null,
    xid         varchar(64)   not null,
    -- the first final answer (201) and its body; null while the outcome is not known (in flight, 202, 503, crash)
    http_status int,
    answer      varchar(8000),
    created_at  timestamp     not null
);
create index idempotency_keys_created_at on idempotency_keys (created_at);
create index idempotency_keys_order_id on idempotency_keys (order_id);
