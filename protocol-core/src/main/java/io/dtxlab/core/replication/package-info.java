/**
 * Master-slave replication as plain state and rules, no I/O: the ack counting of SYNC, SEMI_SYNC and ASYNC
 * ({@link io.dtxlab.core.replication.ReplicaSet}), degrade and recovery, the epoch history and the fencing of
 * deposed masters ({@link io.dtxlab.core.replication.EpochHistory}, {@link io.dtxlab.core.replication.EpochFence}),
 * and the Bully election ({@link io.dtxlab.core.replication.BullyElection}). The replica service's
 * {@code io.dtxlab.replica.replication} package does the HTTP, Kafka and H2 around them. Time comes in as
 * milliseconds of the caller's clock.
 */
package io.dtxlab.core.replication;
