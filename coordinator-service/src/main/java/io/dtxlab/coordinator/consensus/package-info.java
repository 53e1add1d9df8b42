/**
 * The coordinators' consensus: the pure Multi-Paxos core ({@link io.dtxlab.core.paxos}) driven over HTTP, with its
 * acceptor state in H2. It elects the leader ({@code PaxosLeadership}) and replicates the transaction log
 * ({@code io.dtxlab.coordinator.log.ReplicatedTransactionLog}).
 */
package io.dtxlab.coordinator.consensus;
