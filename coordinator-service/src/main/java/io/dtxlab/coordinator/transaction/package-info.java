/**
 * Global transactions on the coordinator: two-phase and three-phase commit with presumed abort ({@code CommitCoordinator}), phase 2
 * with retries and circuit breakers ({@code PhaseTwo}), recovery after a restart ({@code CoordinatorRecovery}), and
 * what users see ({@code TransactionController}: votes, decision, acknowledgements, timeline).
 * The decisions themselves come from the pure {@link io.dtxlab.core.commit.coordinator.CommitRound}.
 */
package io.dtxlab.coordinator.transaction;
