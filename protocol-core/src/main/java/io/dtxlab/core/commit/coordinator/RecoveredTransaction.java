package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An unfinished transaction as the log holds it when a coordinator takes over: BEGIN, maybe PRE_COMMIT, maybe a
 * DECISION, no END.
 *
 * @param decision the logged decision, or null if none was logged
 * @param reason the logged decision's reason, or null
 * @param votes the votes as logged with the decision (participant to text), empty if none
 * @param semanticLocks a saga's steps that take a semantic lock, as BEGIN logged them; else empty
 */
public record RecoveredTransaction(String xid, CommitProtocol protocol, List<String> participants,
        boolean preCommitted, Decision decision, String reason, Map<String, String> votes, Set<String> semanticLocks) {

    public RecoveredTransaction {
        participants = List.copyOf(participants);
        votes = votes == null ? Map.of() : Map.copyOf(votes);
        semanticLocks = semanticLocks == null ? Set.of() : Set.copyOf(semanticLocks);
    }

    /** Without semantic locks. */
    public RecoveredTransaction(String xid, CommitProtocol protocol, List<String> participants,
            boolean preCommitted, Decision decision, String reason, Map<String, String> votes) {
        this(xid, protocol, participants, preCommitted, decision, reason, votes, Set.of());
    }
}
