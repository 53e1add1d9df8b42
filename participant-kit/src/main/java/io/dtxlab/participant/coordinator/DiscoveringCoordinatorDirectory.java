package io.dtxlab.participant.coordinator;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Finds the coordinator that leads. It starts with the configured first guess ({@code dtx.participant.coordinator});
 * when a coordinator answers that it does not lead, it follows the leader that answer names, or else tries the next
 * coordinator of the cluster; when one stays silent, it asks the others ({@link #lookUpLeaderOtherThan}). Every
 * caller shares what one learned.
 */
public final class DiscoveringCoordinatorDirectory implements CoordinatorDirectory {

    /** How long one look-up's answer serves: callers meanwhile share it, so a slow leader costs few look-ups. */
    static final Duration LOOK_UP_EVERY = Duration.ofMillis(500);
    /** How long a look-up waits for each coordinator. */
    static final Duration LOOK_UP_WITHIN = Duration.ofMillis(500);

    private final ClusterClient client;
    private final List<String> coordinators;
    private volatile String guess;
    private CompletableFuture<Optional<String>> lookUp;
    private long lookUpStarted;

    public DiscoveringCoordinatorDirectory(ClusterClient client, String firstGuess) {
        this.client = client;
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

    /**
     * Asks each other coordinator's {@code GET /cluster?peers=false} (at most {@link #LOOK_UP_WITHIN} each) for the
     * one that leads with a valid lease. One look-up serves every caller for {@link #LOOK_UP_EVERY}; the caller that
     * starts it asks on its own thread, and nobody holds a lock while it does.
     */
    @Override
    public Optional<String> lookUpLeaderOtherThan(String silent) {
        CompletableFuture<Optional<String>> mine;
        CompletableFuture<Optional<String>> shared = null;
        synchronized (this) {
            long now = System.nanoTime();
            if (lookUp != null && (!lookUp.isDone() || now - lookUpStarted < LOOK_UP_EVERY.toNanos())) {
                shared = lookUp;
            }
            mine = shared != null ? null : new CompletableFuture<>();
            if (mine != null) {
                lookUp = mine;
                lookUpStarted = now;
            }
        }
        if (shared != null) {
            return shared.join().filter(leader -> !leader.equals(silent));
        }
        Optional<String> leader = Optional.empty();
        try {
            leader = coordinators.stream().filter(id -> !id.equals(silent)).filter(this::leadsNow).findFirst();
        } finally {
            mine.complete(leader);
        }
        leader.ifPresent(l -> {
            synchronized (this) {
                if (silent.equals(guess)) {
                    guess = l;
                }
            }
        });
        return leader;
    }

    private boolean leadsNow(String coordinator) {
        try {
            JsonNode view = client.get(coordinator, "cluster", null, "/cluster?peers=false", JsonNode.class,
                    LOOK_UP_WITHIN);
            return view != null && view.path("leaseValid").asBoolean(false);
        } catch (RuntimeException e) {
            return false; // down, cut off, or slow: not the one to follow
        }
    }
}
