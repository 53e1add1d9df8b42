package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchCommand;

/** The paths of the commitment protocols, for the servers that map them and the clients that call them. */
public final class CommitPaths {

    /** A coordinator's entry for beginning a global transaction (POST {@link BeginTransaction}). */
    public static final String TRANSACTIONS = "/internal/transactions";
    /** A coordinator's entry for beginning several global transactions in one request (POST {@link BeginBatch}). */
    public static final String TRANSACTIONS_BATCH = "/internal/transactions/batch";
    /** A participant's entry for a batch of branch messages (POST {@link BranchBatch}). */
    public static final String BATCH = "/internal/branches/batch";
    /** A participant's branch as the 3PC termination rule asks for it (GET). */
    public static final String BRANCH = "/branches/{xid}";
    /** A coordinator's answer to an in-doubt participant (POST, no body; answers {@link TransactionDecision}). */
    public static final String DECISION = "/internal/transactions/{xid}/decision";
    /** What a transaction id may be: up to 64 of these characters (it travels in paths unencoded). */
    public static final String XID = "[A-Za-z0-9._-]+";
    /** The protocols a transaction may run. */
    public static final String PROTOCOLS = "2PC|3PC|NONE|TCC|SAGA";

    private CommitPaths() {
    }

    /** The single-message path of {@code command}, e.g. {@code /internal/branches/tx-1/do-commit}. */
    public static String branch(String xid, BranchCommand command, String protocol) {
        return "/internal/branches/" + xid + "/" + kind(command, protocol);
    }

    /**
     * The protocol's own word for a command, as paths, logs and timelines use it: prepare, can-commit, pre-commit,
     * commit (2PC) or do-commit (3PC), abort, apply (NONE) or step (a saga's), try, confirm, cancel, compensate.
     */
    public static String kind(BranchCommand command, String protocol) {
        return switch (command) {
            case PREPARE -> "prepare";
            case CAN_COMMIT -> "can-commit";
            case PRE_COMMIT -> "pre-commit";
            case COMMIT -> "3PC".equals(protocol) ? "do-commit" : "commit";
            case ABORT -> "abort";
            case APPLY -> "SAGA".equals(protocol) ? "step" : "apply";
            case TRY -> "try";
            case CONFIRM -> "confirm";
            case CANCEL -> "cancel";
            case COMPENSATE -> "compensate";
        };
    }

    /** The decision path of {@code xid}, e.g. {@code /internal/transactions/tx-1/decision}. */
    public static String decision(String xid) {
        return "/internal/transactions/" + xid + "/decision";
    }

    /** The path of one branch's state, e.g. {@code /branches/tx-1}. */
    public static String branchState(String xid) {
        return "/branches/" + xid;
    }
}
