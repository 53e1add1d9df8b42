package io.dtxlab.participant.coordinator;

/** One configured coordinator leads ({@code dtx.participant.coordinator}, coordinator-1 by default). */
public final class StaticCoordinatorDirectory implements CoordinatorDirectory {

    private final String leader;

    public StaticCoordinatorDirectory(String leader) {
        this.leader = leader;
    }

    @Override
    public String leader() {
        return leader;
    }
}
