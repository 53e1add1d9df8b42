package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's log records, in the order a transaction writes them: BEGIN, (3PC) PRE_COMMIT, DECISION, END.
 * Presumed abort (Mohan, Lindsay and Obermarck, "Transaction Management in the R* Distributed Database Management
 * System", 1986): a transaction without a DECISION record is aborted by whoever recovers it, and END only lets the
 * log forget; it is never waited for.
 */
public sealed interface LogRecord {

    String xid();

    /**
     * BEGIN: the protocol and the participants, so a new leader can finish the transaction.
     *
     * @param semanticLocks a saga's steps that take a semantic lock (a subset of {@code participants}); else empty
     */
    record Begin(String xid, CommitProtocol protocol, List<String> participants, Set<String> semanticLocks)
            implements LogRecord {
        public Begin {
            participants = List.copyOf(participants);
            semanticLocks = semanticLocks == null ? Set.of() : Set.copyOf(semanticLocks);
        }

        /** Without semantic locks. */
        public Begin(String xid, CommitProtocol protocol, List<String> participants) {
            this(xid, protocol, participants, Set.of());
        }
    }

    /** 3PC: every participant voted YES; from here the termination rule may commit. */
    record PreCommit(String xid) implements LogRecord {
    }

    /** The decision, why, and the votes as users read them (participant to "YES", "NO: reason" or "none"). */
    record DecisionRecord(String xid, Decision decision, String reason, Map<String, String> votes) implements LogRecord {
        public DecisionRecord {
            votes = Map.copyOf(votes);
        }
    }

    /** Every participant acknowledged the decision. */
    record End(String xid) implements LogRecord {
    }
}
