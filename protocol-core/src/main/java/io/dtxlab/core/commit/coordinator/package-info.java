/**
 * The coordinator's side of one transaction: votes to decision, acknowledgements to end ({@code CommitRound}); and,
 * without atomic commitment, apply answers to an outcome that may be partial ({@code ApplyRound}).
 */
package io.dtxlab.core.commit.coordinator;
