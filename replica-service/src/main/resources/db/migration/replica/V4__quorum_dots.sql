-- Dotted version vectors for quorum versions and hints. A version's row now holds the dot of the write that made
-- it (node:counter) and, in clock, its past (the context it was written with). Rows from before have no dot, and
-- their clock is their whole plain vector clock, which is how the replicas read them.
alter table quorum_version add column dot varchar(100);
alter table quorum_version drop constraint quorum_version_once;
create index quorum_version_key on quorum_version (data_key);

alter table quorum_hint add column dot varchar(100);
alter table quorum_hint drop constraint quorum_hint_once;
