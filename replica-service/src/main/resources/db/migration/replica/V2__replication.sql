-- Master-slave replication. Every replica keeps the same tables: a slave's log is a copy of the master's, so any
-- slave can become master and a returning old master can tell which of its entries diverged.

-- The replication log: dense indexes, never reused; an entry the master undid (SYNC + REJECT) stays, marked undone.
create table replication_log (
    log_index   bigint        not null primary key,
    epoch       bigint        not null,
    op          varchar(8)    not null,
    key_name    varchar(256)  not null,
    key_value   varchar(4096),
    mode        varchar(16)   not null,
    written_at  bigint        not null,
    undone      boolean       default false not null
);

-- The replicated data: the log applied, in index order.
create table kv_entry (
    key_name    varchar(256)  not null primary key,
    key_value   varchar(4096) not null,
    log_index   bigint        not null,
    epoch       bigint        not null,
    written_at  bigint        not null
);

-- Which master owned which part of the log. Epoch 1 starts at index 1; each election adds a row.
-- previous_reconciled: the deposed master has come back and reported what it wrote after the fork.
create table replication_epoch (
    epoch               bigint       not null primary key,
    master              varchar(64)  not null,
    start_index         bigint       not null,
    previous_master     varchar(64),
    previous_reconciled boolean      default true not null
);

-- The newest epoch this replica granted in an election; persisted before the grant is answered.
create table replication_vote (
    id          int          not null primary key,
    epoch       bigint       not null,
    granted_to  varchar(64)  not null
);

-- Acknowledged writes a failover lost: the deposed master's entries after the fork, reported when it rejoined, and
-- stale-epoch entries fenced on delivery.
create table lost_write (
    epoch        bigint        not null,
    log_index    bigint        not null,
    op           varchar(8)    not null,
    key_name     varchar(256)  not null,
    key_value    varchar(4096),
    mode         varchar(16)   not null,
    written_at   bigint        not null,
    written_by   varchar(64)   not null,
    detected_by  varchar(64)   not null,
    how          varchar(32)   not null,
    detected_at  bigint        not null,
    primary key (epoch, log_index)
);
