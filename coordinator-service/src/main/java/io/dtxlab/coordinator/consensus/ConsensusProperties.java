package io.dtxlab.coordinator.consensus;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the coordinators elect a leader and replicate their log ({@code dtx.coordinator.consensus.*}). The group is
 * every coordinator in {@code dtx.cluster.members}. The four timings trade failover time against false elections and
 * idle cost; they must satisfy {@code maxClockDrift < leaseDuration <= electionTimeout} and
 * {@code heartbeatInterval < leaseDuration - maxClockDrift} (checked at start-up).
 *
 * <ul>
 * <li><b>Failover time</b> after a leader dies is about {@code electionTimeout - heartbeatInterval / 2} plus a random
 * part (the first of the followers' timers, each uniform in {@code [0, electionTimeout)}, so about
 * {@code 0.29 * electionTimeout} in the median of two followers) plus three round trips (pre-vote, prepare, first
 * accept). Defaults: 0.7 to 1.4 s, about 0.85 s in the median.</li>
 * <li><b>False elections.</b> A leader is replaced only when a majority heard nothing from it for a whole
 * {@code electionTimeout} (pre-vote and check-quorum: a follower that heard it within that time refuses to help depose
 * it, and the leader steps down only when a majority left what it sent unanswered for that long). Heartbeats and their answers never
 * wait behind disk writes, applying or proposals, and any answered accept renews the lease, so what deposes a leader is
 * a stall of its process (GC, a starved CPU) longer than about {@code electionTimeout - heartbeatInterval}: 400 ms with
 * the defaults (a leader under load sends accepts, not heartbeats, so there the gap between accepts counts). A longer
 * election timeout tolerates longer stalls and costs failover time one for one.</li>
 * <li><b>The lease</b> (proposals are refused without one) lasts {@code leaseDuration - maxClockDrift} from the send
 * time of the last accept a majority answered: a heartbeat answered up to 350 ms late keeps it with the defaults; a
 * lapsed lease does not depose the leader, it only refuses proposals until the next answer.</li>
 * <li><b>Idle cost</b>: a leader at rest sends one heartbeat per {@code heartbeatInterval} to each follower, and each
 * follower answers it, each a datagram ({@code io.dtxlab.platform.messaging.PeerDatagrams}, tens of microseconds of CPU
 * at each end, but on a small VM each wake-up of an idle thread costs a few hundred microseconds more): about 13
 * datagrams per second for three coordinators with the defaults. The interval trades that idle cost against the
 * stall a leader at rest survives: 200 ms costs half as much again at rest, for 100 ms more tolerance. Where datagrams are unavailable a
 * heartbeat is one HTTP exchange instead (the answer in the response body), about 3 ms of CPU at the follower and
 * 1.3 ms at the leader. A leader whose accepts were all answered within the interval sends none.</li>
 * <li><b>Learning.</b> Followers learn a decided slot from the leader's next accept (it names the leader's first
 * unchosen slot), so a busy leader sends no notice per decision; when no accept follows within {@code learnDelay},
 * the leader sends a heartbeat for it. It bounds how long a follower's state lags a decision when nothing is lost.</li>
 * <li><b>Log compaction.</b> Each coordinator's transaction table records the slot it has applied through, so a
 * restart replays only the log after it, and the Paxos log below {@code appliedThrough - logRetention} is deleted
 * once it has grown {@code compactionInterval} slots past the previous compaction. A follower that lags by less than
 * the retention catches up with log values; one further behind (down for long) gets a snapshot: the whole
 * transaction table in one message (a few hundred bytes per transaction).</li>
 * </ul>
 *
 * @param electionTimeout a follower that hears no leader for a random time in [timeout, 2 × timeout) starts an
 *        election (a pre-vote first); followers refuse to help depose a leader they heard within it, and a leader
 *        that heard from no majority for that long steps down. Default 700 ms
 * @param heartbeatInterval how often an idle leader renews its lease. Default 300 ms
 * @param leaseDuration how long followers refuse to promise anyone else after hearing the leader; the leader's own
 *        lease is this minus {@code maxClockDrift}. Default 700 ms
 * @param maxClockDrift how far two coordinators' clocks may drift apart over one lease. Default 50 ms
 * @param replyWait how long a peer's request waits for this node's durable answer to carry it back in the response
 *        body; a later answer travels as a request of its own. Default 200 ms
 * @param proposeTimeout how long a log record may take to be chosen before the transaction gives up. Default 3 s
 * @param messageTimeout how long a consensus message waits for delivery (and its answer). Default 500 ms
 * @param logRetention how many applied slots stay in the Paxos log below the applied point (so a briefly lagging
 *        follower is sent values, not a snapshot). Default 10000 slots, about 3000 transactions
 * @param compactionInterval compact once the applied point is this many slots past the last compaction (each
 *        compaction is one write to the acceptor log). Default 1000 slots
 * @param snapshotTimeout how long sending a snapshot to a follower may take. Default 10 s
 * @param learnDelay how long after a decision the leader waits for an accept to carry it to the followers before it
 *        sends a heartbeat for it; more than 0 and at most {@code heartbeatInterval} (checked at start-up).
 *        Default 20 ms
 * @param fsync whether each write to the acceptor log ({@code <data dir>/paxos/acceptor.log}) is forced to the device
 *        before any message that reports it leaves. Off (the default), a write reaches the operating system first, so
 *        a promise or accept survives a crash of the process but not of the machine: the guarantee H2 gives every
 *        node's other state with {@code WRITE_DELAY=0}. On, it survives a power loss too, at the cost of a disk flush
 *        per write (several steps share one write, so one flush per group)
 */
@Validated
@ConfigurationProperties("dtx.coordinator.consensus")
public record ConsensusProperties(
        @NotNull @DefaultValue("700ms") Duration electionTimeout,
        @NotNull @DefaultValue("300ms") Duration heartbeatInterval,
        @NotNull @DefaultValue("700ms") Duration leaseDuration,
        @NotNull @DefaultValue("50ms") Duration maxClockDrift,
        @NotNull @DefaultValue("200ms") Duration replyWait,
        @NotNull @DefaultValue("3s") Duration proposeTimeout,
        @NotNull @DefaultValue("500ms") Duration messageTimeout,
        @PositiveOrZero @DefaultValue("10000") long logRetention,
        @Positive @DefaultValue("1000") long compactionInterval,
        @NotNull @DefaultValue("10s") Duration snapshotTimeout,
        @NotNull @DefaultValue("20ms") Duration learnDelay,
        @DefaultValue("false") boolean fsync) {
}
