package io.dtxlab.participant.coordinator;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.ClusterClient;
import java.util.List;

/**
 * Finds the coordinator that leads. It starts with the configured first guess ({@code dtx.participant.coordinator});
 * when a coordinator answers that it does not lead, it follows the leader that answer names, or else tries the next
 * coordinator of the cluster. Every caller shares what one learned.
 */
public final class DiscoveringCoordinatorDirectory implements CoordinatorDirectory {

    private final List<String> coordinators;
    private volatile String guess;

    public DiscoveringCoordinatorDirectory(ClusterClient client, String firstGuess) {
        List<String> known = client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == NodeRole.COORDINATOR).isPresent())
                .sorted().toList();
        this.coordinators = known.isEmpty() ? List.of(firstGuess) : known;
        this.guess = coordinators.contains(firstGuess) ? firstGuess : coordinators.get(0);
    }

    @Override
    public String leader() {
        return guess;
    }

    @Override
    public synchronized void notLeader(String asked, String hint) {
        if (!asked.equals(guess)) {
            return; // someone already moved on
        }
        if (hint != null && !hint.equals(asked) && coordinators.contains(hint)) {
            guess = hint;
        } else {
            guess = coordinators.get((coordinators.indexOf(asked) + 1) % coordinators.size());
        }
    }
}
