-- A run's view is a few kilobytes of JSON. As a CLOB, H2 kept each one in its separate LOB storage, which cost
-- several more page writes per insert; as CHARACTER VARYING it is stored in its row. Nothing reads timelines by
-- stored_at (the purge goes by id), so that index only cost a write per insert.
alter table tx_timeline alter column run_view set data type character varying(1000000);
drop index tx_timeline_stored_at;
