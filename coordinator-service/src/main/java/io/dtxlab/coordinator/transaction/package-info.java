/**
 * Global transactions on the coordinator. The protocols themselves are pure machines in protocol-core
 * ({@link io.dtxlab.core.commit.coordinator.TransactionCoordinator}: 2PC and 3PC with presumed abort, and NONE);
 * {@code CommitEngine} is their edge: one thread feeds them replies, chosen records and timers, logs their records
 * a batch per consensus round, and sends their messages a batch per participant. {@code TransactionController} shows
 * what users see: votes, decision, acknowledgements and the timeline of every logical message.
 */
package io.dtxlab.coordinator.transaction;
