/**
 * The coordinators' consensus: the pure Multi-Paxos core ({@link io.dtxlab.core.paxos}) driven over HTTP (heartbeats
 * and their answers as datagrams), with its acceptor state in an append-only file ({@code FilePaxosStorage}). It
 * elects the leader ({@code PaxosLeadership}) and replicates the transaction log
 * ({@code io.dtxlab.coordinator.log.ReplicatedTransactionLog}), which is also its durable state machine
 * ({@link io.dtxlab.coordinator.consensus.ReplicatedState}): restarts replay only after its applied point, the log
 * below it is compacted, and followers behind the compaction get a snapshot of it.
 */
package io.dtxlab.coordinator.consensus;
