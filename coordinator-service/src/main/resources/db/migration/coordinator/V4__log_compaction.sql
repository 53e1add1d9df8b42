-- The slot through which tx_log holds the chosen log, written in the same local transaction as the rows it covers
-- (or with an installed snapshot): a restart replays only the slots after it.
create table tx_log_applied (
    id   int    not null primary key,
    slot bigint not null
);
insert into tx_log_applied (id, slot) values (1, 0);

-- The Paxos log's compaction point: every accepted and chosen value up to this slot was deleted (tx_log holds them).
create table paxos_compaction (
    id                int    not null primary key,
    compacted_through bigint not null
);
insert into paxos_compaction (id, compacted_through) values (1, 0);
