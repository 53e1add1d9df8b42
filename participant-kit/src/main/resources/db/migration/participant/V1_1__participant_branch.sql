-- The participant kit's tables (order, inventory and payment each have them).
-- One row per global transaction this participant has heard of: its branch, with what commit and abort need.
create table branch (
    xid            varchar(64)   not null primary key,
    protocol       varchar(8)    not null,
    state          varchar(16)   not null,
    payload        varchar(4000),
    coordinator    varchar(64)   not null,
    epoch          bigint        not null,
    reason         varchar(512),
    empty_rollback boolean       not null,
    prepared_at    timestamp,
    ended_at       timestamp,
    updated_at     timestamp     not null,
    version        bigint        not null
);
create index branch_state_prepared_at on branch (state, prepared_at);
create index branch_updated_at on branch (updated_at);

-- The highest coordinator epoch (ballot) seen: messages with an older one are refused (fencing).
create table coordinator_fence (
    id          int          not null primary key,
    epoch       bigint       not null,
    coordinator varchar(64),
    raised_at   timestamp    not null
);
insert into coordinator_fence (id, epoch, coordinator, raised_at) values (1, 0, null, current_timestamp);
