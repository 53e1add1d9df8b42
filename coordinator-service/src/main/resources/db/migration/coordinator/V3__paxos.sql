-- The Paxos acceptor's durable state (written before any reply leaves) and the chosen log.
create table paxos_promise (
    id    int          not null primary key,
    round bigint       not null,
    node  varchar(64)  not null
);
insert into paxos_promise (id, round, node) values (1, 0, '');

create table paxos_accepted (
    slot  bigint         not null primary key,
    round bigint         not null,
    node  varchar(64)    not null,
    val   varchar(20000)
);

create table paxos_chosen (
    slot  bigint         not null primary key,
    val   varchar(20000)
);
