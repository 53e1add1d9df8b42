package io.dtxlab.participant;

/** The names of the participant's fault points (scope: the transaction id; peer: the coordinator). */
public final class ParticipantFaults {

    public static final String PREPARE_RECEIVED = "participant.prepare-received";
    public static final String VOTE_NO = "participant.vote-no";
    public static final String BEFORE_VOTE_PERSISTED = "participant.before-vote-persisted";
    public static final String AFTER_VOTE_PERSISTED = "participant.after-vote-persisted";
    public static final String DECISION_RECEIVED = "participant.decision-received";

    private ParticipantFaults() {
    }
}
