-- The coordinator's durable log, one row per global transaction. BEGIN inserts the row (participants and their
-- payloads) before any prepare leaves; DECISION sets decision before any commit or abort leaves; END sets ended_at
-- once every participant acknowledged. A row without a decision after a restart is aborted (presumed abort);
-- for 3PC the restart applies the termination rule instead. pre_committed_at: 3PC decided to pre-commit.
create table tx_log (
    xid         varchar(64)    not null primary key,
    protocol    varchar(8)     not null,
    coordinator varchar(64)    not null,
    epoch       bigint         not null,
    branches    varchar(16000) not null,
    begun_at    timestamp      not null,
    decision    varchar(8),
    reason      varchar(1024),
    votes       varchar(4000),
    pre_committed_at timestamp,
    decided_at  timestamp,
    ended_at    timestamp
);
create index tx_log_ended_at on tx_log (ended_at);
create index tx_log_begun_at on tx_log (begun_at);
