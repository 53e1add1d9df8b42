package io.dtxlab.contract;

/**
 * A coordinator's answer to an in-doubt participant's "what was decided?" ({@code POST}
 * {@link CommitPaths#decision}, no body). JSON: {@code {"xid":"tx-1","known":true,"decision":"COMMIT",
 * "coordinator":"coordinator-2","epoch":2002,"reason":null}}.
 *
 * @param known false: the leader's log has no such transaction, so it never began and, under presumed abort, it
 *        aborted
 * @param decision COMMIT, ABORT, or null while phase 1 still runs (or, for NONE, where no decision exists)
 * @param coordinator the answering coordinator (the leader)
 * @param epoch its epoch, which the commit or abort the participant applies carries
 * @param reason why it aborted; else null
 */
public record TransactionDecision(String xid, boolean known, String decision, String coordinator, long epoch,
        String reason) {
}
