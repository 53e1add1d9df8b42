package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.dtxlab.platform.messaging.PeerDatagrams;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.stereotype.Component;

/**
 * The clock of replication. On the master, one tick per heartbeat interval: heartbeat every slave (kind
 * {@code heartbeat}: alive, epoch history, last index, settings; the answer is the slave's position), let the core mark
 * silent or stalled slaves out of sync and restore semi-sync, and start catch-ups. On a slave with failover ELECT, one
 * tick when its master timeout runs out: if it has not heard its master since, start an election. A quiet slave does
 * not wake up in between.
 * <p>
 * A heartbeat goes as a datagram ({@link PeerDatagrams}) and the slave answers with one (kind
 * {@code heartbeat-answer}: its position, or the refusal an HTTP answer would carry as a problem detail, such as a
 * stale epoch). Both are handled on this node's own heartbeat thread ({@code replication-heartbeat-<node>}), never on
 * the datagram receive thread: the slave's side takes the apply lock, and a master that learns of a newer epoch
 * fetches the epoch history and rejoins. A lost heartbeat or answer is no contact, as a failed HTTP heartbeat is: the
 * slave goes out of sync when the master has heard nothing for the master timeout. When datagrams are unavailable, or
 * the heartbeat does not fit one (a long epoch history), it goes over HTTP with the position in the response body.
 */
@Component
class ReplicationTicker implements DisposableBean, CatchUp.StepDown {

    private static final Logger log = LoggerFactory.getLogger(ReplicationTicker.class);
    static final String HEARTBEAT = "heartbeat";
    static final String HEARTBEAT_ANSWER = "heartbeat-answer";

    private final ReplicaState state;
    private final ReplicationStore store;
    private final ClusterClient client;
    private final PeerDatagrams datagrams;
    private final CatchUp catchUp;
    private final Election election;
    private final LogApplier applier;
    private final ReplicationProperties properties;
    private final Duration heartbeatTimeout;
    private final ScheduledExecutorService ticker;
    /** Handles heartbeat datagrams and their answers, off the datagram receive thread. */
    private final ExecutorService heartbeats;

    ReplicationTicker(ReplicaState state, ReplicationStore store, ClusterClient client, PeerDatagrams datagrams,
            CatchUp catchUp, Election election, LogApplier applier, ReplicationProperties properties) {
        this.state = state;
        this.ticker = Executors.newSingleThreadScheduledExecutor(ReplicationThreads.named(state.self(), "replication-ticker"));
        this.heartbeats = Executors.newSingleThreadExecutor(ReplicationThreads.named(state.self(), "replication-heartbeat"));
        this.store = store;
        this.client = client;
        this.datagrams = datagrams;
        this.catchUp = catchUp;
        this.election = election;
        this.applier = applier;
        this.properties = properties;
        this.heartbeatTimeout = properties.heartbeatInterval().multipliedBy(2).plusMillis(200);
        datagrams.on(HEARTBEAT, Messages.Heartbeat.class,
                (from, heartbeat) -> heartbeats.execute(() -> answerHeartbeat(from, heartbeat)));
        datagrams.on(HEARTBEAT_ANSWER, Messages.HeartbeatAnswer.class,
                (from, answer) -> heartbeats.execute(() -> heartbeatAnswered(from, answer)));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        state.restartMasterTimeout(); // a slave's master timeout counts from when it is up, not from when it began to start
        ticker.execute(this::tick);
    }

    /** One tick, then the next one at the next moment something is due (never a poll of a quiet slave). */
    private void tick() {
        long delayMs;
        try {
            delayMs = tickOnce();
        } catch (RuntimeException e) {
            log.warn("replication tick failed", e);
            delayMs = properties.heartbeatInterval().toMillis();
        }
        try {
            ticker.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * The master heartbeats every heartbeat interval. A slave with ELECT sleeps until its master timeout would run
     * out (every heartbeat pushes that back), and while the master stays silent looks again each heartbeat interval
     * until an election gives the cluster a master. A slave with WAIT has nothing to time: it looks again once per
     * master timeout only in case its role changed.
     *
     * @return milliseconds until the next tick
     */
    private long tickOnce() {
        long interval = properties.heartbeatInterval().toMillis();
        if (state.isMaster()) {
            masterTick();
            return interval;
        }
        long masterTimeout = properties.masterTimeout().toMillis();
        if (state.failover() != FailoverPolicy.ELECT) {
            return masterTimeout;
        }
        long left = masterTimeout - state.msSinceMasterHeard();
        if (left >= 0) {
            return left + 1; // hearsMaster() holds up to and including the timeout itself
        }
        election.startIfNeeded();
        return interval;
    }

    private void masterTick() {
        long lastIndex = state.appliedIndex();
        for (String slave : state.otherReplicas()) {
            long match = state.slaves(set -> set.matchIndex(slave));
            Long firstMissing = match >= 0 && match < lastIndex
                    ? store.entry(match + 1).map(LogEntry::writtenAtMs).orElse(null) : null;
            Messages.Heartbeat heartbeat = new Messages.Heartbeat(state.self(), state.epoch(), state.history().epochs(),
                    lastIndex, Clocks.wallMs(), firstMissing, state.settings());
            if (!datagrams.send(slave, HEARTBEAT, null, heartbeat)) {
                client.postAsync(slave, HEARTBEAT, null, "/internal/replication/heartbeat", heartbeat,
                        Messages.Position.class, heartbeatTimeout).whenComplete((position, error) -> {
                            if (error == null) {
                                contact(slave, position);
                            } else {
                                noContact(slave, error.getCause());
                            }
                        });
            }
        }
        if (!state.isMaster()) {
            return;
        }
        long now = Clocks.monotonicMs();
        List<String> changes = state.slaves(set -> set.tick(now, state.appliedIndex(), state.settings()));
        if (changes != null) {
            changes.forEach(change -> log.warn("replication: {}", change));
        }
        if (!state.confirmed() && Boolean.TRUE.equals(state.slaves(set -> set.hasMajorityContact(now, properties.masterTimeout().toMillis())))) {
            state.confirm();
            log.info("confirmed as master of epoch {}: a majority answered in this epoch", state.epoch());
        }
        List<String> behind = state.slaves(set -> set.needCatchUp(now));
        if (behind != null) {
            behind.forEach(slave -> catchUp.start(slave, this));
        }
    }

    /** A slave answered a heartbeat with its position. */
    private void contact(String slave, Messages.Position position) {
        state.slaves(set -> {
            set.onContact(slave, position.appliedIndex(), Clocks.monotonicMs());
            return null;
        });
    }

    /** A heartbeat failed or was refused: a newer epoch makes this master step down; anything else is no contact. */
    private void noContact(String slave, Throwable failure) {
        if (!(failure instanceof ClusterCallException call && ifNewerEpoch(call))) {
            state.slaves(set -> {
                set.onContactFailed(slave, String.valueOf(failure), Clocks.monotonicMs());
                return null;
            });
        }
    }

    /** A slave: the master's heartbeat came as a datagram; answer it as the HTTP endpoint would, in a datagram. */
    private void answerHeartbeat(String from, Messages.Heartbeat heartbeat) {
        Messages.HeartbeatAnswer answer;
        try {
            answer = new Messages.HeartbeatAnswer(applier.heartbeat(heartbeat), null);
        } catch (ErrorResponseException e) {
            ProblemDetail problem = e.getBody();
            answer = new Messages.HeartbeatAnswer(null, new Messages.Refusal(problem.getStatus(), problem.getType(),
                    problem.getDetail(), problem.getProperties() == null ? Map.of() : problem.getProperties()));
        } catch (RuntimeException e) {
            log.warn("heartbeat from {} failed", from, e);
            answer = new Messages.HeartbeatAnswer(null, new Messages.Refusal(500,
                    java.net.URI.create("about:blank"), String.valueOf(e), Map.of()));
        }
        if (!datagrams.send(from, HEARTBEAT_ANSWER, null, answer)) {
            log.debug("the answer to {}'s heartbeat does not fit a datagram; its next heartbeat will hear", from);
        }
    }

    /** The master: a slave answered a heartbeat datagram. */
    private void heartbeatAnswered(String slave, Messages.HeartbeatAnswer answer) {
        if (answer.position() != null) {
            contact(slave, answer.position());
        } else if (answer.refused() != null) {
            Messages.Refusal refused = answer.refused();
            ProblemDetail problem = ProblemDetail.forStatus(refused.status());
            problem.setType(refused.type());
            problem.setDetail(refused.detail());
            if (refused.properties() != null) {
                refused.properties().forEach(problem::setProperty);
            }
            MessageOutcome outcome = refused.status() >= 400 && refused.status() < 500 ? MessageOutcome.REFUSED
                    : MessageOutcome.FAILED;
            noContact(slave, new ClusterCallException(slave, HEARTBEAT, outcome, refused.status(), problem, null));
        }
    }

    /**
     * A replica refused this master's message because a newer epoch has begun: this master was deposed while it was
     * away. It fetches the new master's epoch history and rejoins as a slave.
     */
    @Override
    public boolean ifNewerEpoch(ClusterCallException e) {
        if (!ReplicationProblems.isNewerEpoch(e, state.epoch())) {
            return false;
        }
        Object epoch = e.peerProblem().getProperties().get("epoch");
        String newMaster = (String) e.peerProblem().getProperties().get("master");
        log.warn("{} answered that epoch {} has begun under {}: stepping down", e.peer(), epoch, newMaster);
        try {
            EpochHistory.Epoch[] epochs = client.get(newMaster, "epochs", null, "/internal/replication/epochs",
                    EpochHistory.Epoch[].class);
            applier.rejoin(EpochHistory.of(Arrays.asList(epochs)));
        } catch (ClusterCallException failed) {
            log.info("could not fetch the epoch history from {}: {}", newMaster, failed.getMessage());
        }
        return true;
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        heartbeats.shutdownNow();
    }
}
