-- One row per start of this node from its files: the incarnation number shows restarts that kept the data.
create table node_incarnation (
    incarnation bigint       not null primary key,
    node_id     varchar(64)  not null,
    started_at  timestamp    not null
);
