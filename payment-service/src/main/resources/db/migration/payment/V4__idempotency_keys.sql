-- Idempotency-Key records of this service's admin writes (io.dtxlab.platform.idempotency.IdempotencyKeys): one per
-- key, inserted in the local transaction that does the write, so the change and its key commit together.
create table idempotency_keys (
    idem_key     varchar(255)  not null primary key,
    fingerprint  varchar(64)   not null,
    -- what the first request reserved before acting across nodes; null here (every write is one local transaction)
    resource_ref varchar(255),
    -- the first answer (200 or 201) and its body
    http_status  int,
    answer       varchar(8000),
    created_at   timestamp     not null
);
create index idempotency_keys_created_at on idempotency_keys (created_at);
