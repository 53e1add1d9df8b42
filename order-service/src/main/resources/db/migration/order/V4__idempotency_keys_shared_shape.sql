-- Idempotency-Key records in the shape every service shares (io.dtxlab.platform.idempotency.IdempotencyKeys): the
-- order's ids move into resource_ref ("<orderId> <xid>"), what a retry without a final answer resumes.
alter table idempotency_keys add column resource_ref varchar(255);
update idempotency_keys set resource_ref = order_id || ' ' || xid;
drop index idempotency_keys_order_id;
alter table idempotency_keys drop column order_id;
alter table idempotency_keys drop column xid;
