package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchState;

/**
 * Everything that can happen to one transaction's coordinator: the only way in to a {@link TransactionCoordinator}.
 * Each input names the participant it comes from where there is one. Inputs that no longer matter (a vote after the
 * decision, a timeout of a finished phase, a duplicate) are ignored, never an error.
 */
public sealed interface CoordinatorInput {

    /** Start the transaction: a fresh one logs BEGIN; a recovered one resumes from what the log held. */
    record Start() implements CoordinatorInput {
    }

    /**
     * A record this coordinator asked to log is durable (chosen by a majority). For a decision, {@code record} is the
     * decision that counts: the first one logged for the transaction, which may not be the one proposed.
     */
    record Logged(LogRecord record) implements CoordinatorInput {
    }

    /** A phase-1 answer: the vote on prepare (2PC) or can-commit (3PC), with the reason for a NO. */
    record Voted(String participant, Vote vote, String reason) implements CoordinatorInput {
    }

    /**
     * An acknowledgement: of pre-commit (3PC; {@code ok} false is a refusal) or of the decision (phase 2, always
     * ok). NONE's apply answer is an acknowledgement of {@link Phase#APPLY}: ok means applied, not ok refused.
     */
    record Acknowledged(String participant, Phase phase, boolean ok, String reason) implements CoordinatorInput {
    }

    /**
     * A saga's locking step (TRY) was answered {@code BUSY}: what it needs is held by transactions that have not
     * finished (their semantic locks). Nothing was done; the coordinator may try again.
     *
     * @param attempt the {@link BranchRequest#attempt()} of the TRY this answers
     */
    record Busy(String participant, Phase phase, int attempt, String reason) implements CoordinatorInput {
    }

    /** A message of {@code phase} to {@code participant} got no answer: not delivered, timed out, or failed. */
    record Lost(String participant, Phase phase, String why) implements CoordinatorInput {
    }

    /**
     * The participant refused a phase-2 message outright: a newer epoch fences this coordinator, or the branch
     * contradicts the decision. Resending would not help, so the coordinator stops sending to it.
     */
    record Refused(String participant, Phase phase, String why) implements CoordinatorInput {
    }

    /** A timer this coordinator set ({@link TimerRequest}) fired. */
    record TimerFired(TimerRequest.Kind kind, String participant) implements CoordinatorInput {
    }

    /**
     * The answer to a state request (3PC termination after a takeover): the branch's state, or null if the
     * participant did not answer. A participant that never heard of the transaction answers {@link BranchState#ABORTED}.
     */
    record BranchStateLearned(String participant, BranchState state) implements CoordinatorInput {
    }
}
