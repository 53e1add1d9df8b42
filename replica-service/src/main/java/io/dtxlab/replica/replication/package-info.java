/**
 * Master-slave replication on this replica: the HTTP, Kafka and H2 around the plain-Java rules of
 * {@code io.dtxlab.core.replication}. The design note with its diagrams is {@code README.md} in this folder.
 * <ul>
 * <li>Write path: {@link io.dtxlab.replica.replication.KvController} → {@link io.dtxlab.replica.replication.WriteRouter}
 * (a slave forwards to the master) → {@link io.dtxlab.replica.replication.MasterWriter} (plan, local append, REST
 * fan-out or {@link io.dtxlab.replica.replication.AsyncShipper}, ack counting, undo).</li>
 * <li>Every change to the log: {@link io.dtxlab.replica.replication.LogApplier} (in order, idempotent by index, fenced
 * by epoch; rejoin after a failover) over {@link io.dtxlab.replica.replication.ReplicationStore}.</li>
 * <li>Time: {@link io.dtxlab.replica.replication.ReplicationTicker} (heartbeats, out-of-sync detection,
 * {@link io.dtxlab.replica.replication.CatchUp}, and on a slave with ELECT the
 * {@link io.dtxlab.replica.replication.Election}).</li>
 * </ul>
 */
package io.dtxlab.replica.replication;
