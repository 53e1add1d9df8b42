package io.dtxlab.coordinator.transaction;

import io.dtxlab.platform.fault.FaultPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The coordinator's fault points (scope: the transaction id). */
@Configuration(proxyBeanMethods = false)
class CoordinatorFaults {

    static final String AFTER_VOTES = "coordinator.after-votes";
    static final String AFTER_PRE_COMMIT = "coordinator.after-pre-commit";
    static final String AFTER_DECISION = "coordinator.after-decision";
    static final String AFTER_FIRST_COMMIT = "coordinator.after-first-commit";

    @Bean
    FaultPoint afterVotes() {
        return new FaultPoint(AFTER_VOTES, "Phase 1 (prepare, or 3PC can-commit) is over (every vote is in, or the timeout fired) and nothing is "
                + "decided yet. CRASH = crash before the decision: participants stay PREPARED, blocked, until the "
                + "coordinator returns and presumes abort.");
    }

    @Bean
    FaultPoint afterPreCommit() {
        return new FaultPoint(AFTER_PRE_COMMIT, "3PC: every pre-commit ack is in (or the timeout fired), nothing is "
                + "decided yet. CRASH = the participants, pre-committed, commit by their own timeout without it.");
    }

    @Bean
    FaultPoint afterDecision() {
        return new FaultPoint(AFTER_DECISION, "The decision is logged and no phase-2 message has left. CRASH = the "
                + "restarted coordinator finds the decision and completes phase 2.");
    }

    @Bean
    FaultPoint afterFirstCommit() {
        return new FaultPoint(AFTER_FIRST_COMMIT, "The first participant acknowledged the decision; the others "
                + "may not have it yet. CRASH = phase 2 is finished after the restart.");
    }
}
