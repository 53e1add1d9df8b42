/**
 * The coordinator's side of one transaction, as a pure machine ({@code TransactionCoordinator}, made by
 * {@code Coordinators}): inputs in, records to log, messages, timers and the client's answer out, in that order.
 * 2PC and 3PC presume abort and share their last phase ({@code DecisionDelivery}); NONE applies at once. Underneath:
 * votes to decision ({@code CommitRound}), apply answers to an outcome that may be partial ({@code ApplyRound}),
 * and 3PC's termination rule after a takeover ({@code ThreePhaseTermination}).
 */
package io.dtxlab.core.commit.coordinator;
