-- Customer accounts. balance + held + charged never changes for a customer: prepare moves money from balance
-- to held, commit from held to charged, abort back to balance.
create table account (
    id       varchar(64)    not null primary key,
    balance  decimal(19, 2) not null check (balance >= 0),
    held     decimal(19, 2) not null check (held >= 0),
    charged  decimal(19, 2) not null check (charged >= 0),
    version  bigint         not null
);

-- Demo data, seeded once with the schema (a restart does not seed again).
insert into account (id, balance, held, charged, version) values
    ('alice', 1000.00, 0, 0, 0),
    ('bob', 50.00, 0, 0, 0),
    ('carol', 0.00, 0, 0, 0);
