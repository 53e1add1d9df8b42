package io.dtxlab.coordinator.consensus;

/** This coordinator cannot get a record chosen: it does not lead (or no longer does). The leader hint may help. */
public class NotLeaderException extends RuntimeException {

    private final String leaderHint;

    public NotLeaderException(String leaderHint, String reason) {
        super("this coordinator does not lead" + (leaderHint == null ? "" : "; the leader is " + leaderHint)
                + (reason == null ? "" : " (" + reason + ")"));
        this.leaderHint = leaderHint;
    }

    public String leaderHint() {
        return leaderHint;
    }
}
