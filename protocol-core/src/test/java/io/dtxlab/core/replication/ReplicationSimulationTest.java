package io.dtxlab.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.replication.BullyElection.Candidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A seeded simulation of one master and two slaves on one thread: random writes in random modes and policies,
 * slaves that crash and come back, Kafka deliveries, heartbeats and catch-ups; then the master dies and, when a
 * majority is left, the slaves elect. After every step and after the failover the invariants are checked; a failure
 * names its seed and replays exactly.
 */
class ReplicationSimulationTest {

    private static final List<String> SLAVES = List.of("replica-2", "replica-3");
    private static final ReplicationMode[] MODES = ReplicationMode.values();

    @Test
    void aThousandSeededHistoriesKeepTheInvariants() {
        Map<String, Integer> seen = new HashMap<>();
        for (long seed = 1; seed <= 1000; seed++) {
            new Simulation(seed, seen).run();
        }
        // the histories reach the interesting cases, so the invariants were tested on them
        assertThat(seen).as("cases the simulation reached").containsKeys("undone", "degraded", "semi-sync restored",
                "caught up", "election", "election with lost writes", "no majority");
    }

    private static final class Simulation {

        final long seed;
        final Random random;
        final List<LogEntry> master = new ArrayList<>();
        final Map<String, List<LogEntry>> slaves = new LinkedHashMap<>();
        final Map<String, Integer> kafkaOffset = new HashMap<>();
        final List<LogEntry> kafka = new ArrayList<>();
        final Set<String> up = new HashSet<>(SLAVES);
        final List<LogEntry> syncAcknowledged = new ArrayList<>();
        final List<String> trace = new ArrayList<>();
        final ReplicaSet set;
        long now;
        ReplicationSettings settings;

        final Map<String, Integer> seen;

        Simulation(long seed, Map<String, Integer> seen) {
            this.seed = seed;
            this.seen = seen;
            this.random = new Random(seed);
            SLAVES.forEach(s -> {
                slaves.put(s, new ArrayList<>());
                kafkaOffset.put(s, 0);
            });
            set = new ReplicaSet(SLAVES, 0, 1000, 3000);
            SLAVES.forEach(s -> set.caughtUp(s, 0, 0, 0));
            settings = randomSettings();
        }

        void run() {
            for (int step = 0; step < 200; step++) {
                int dice = random.nextInt(100);
                if (dice < 5) {
                    settings = randomSettings();
                    trace.add("settings " + settings);
                } else if (dice < 55) {
                    write();
                } else if (dice < 75) {
                    deliverKafka();
                } else if (dice < 92) {
                    heartbeat();
                } else {
                    String slave = SLAVES.get(random.nextInt(SLAVES.size()));
                    if (!up.remove(slave)) {
                        up.add(slave);
                    }
                    trace.add((up.contains(slave) ? "restart " : "crash ") + slave);
                }
                checkEverySlaveLogIsAPrefixOfTheMasters();
            }
            failover();
        }

        ReplicationSettings randomSettings() {
            return new ReplicationSettings(MODES[random.nextInt(MODES.length)],
                    random.nextBoolean() ? SyncFailurePolicy.REJECT : SyncFailurePolicy.DEGRADE, 1 + random.nextInt(2), 500);
        }

        void write() {
            WritePlan plan = set.plan(settings);
            if (plan.isRefused()) {
                trace.add("write refused: " + plan.refusal());
                return;
            }
            long index = master.size() + 1;
            LogEntry entry = new LogEntry(index, 1, Op.PUT, "k" + index, "v" + index, plan.mode(), now, false);
            master.add(entry);
            List<String> acked = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            for (String target : plan.targets()) {
                List<LogEntry> log = slaves.get(target);
                if (!up.contains(target)) {
                    failed.put(target, "UNREACHABLE");
                } else if (log.size() != index - 1) {
                    failed.put(target, "gap at " + log.size());
                } else if (random.nextInt(10) == 0) {
                    failed.put(target, "TIMEOUT"); // lost before it was applied
                } else {
                    log.add(entry);
                    acked.add(target);
                }
            }
            if (plan.publishToKafka()) {
                kafka.add(entry);
            }
            WriteOutcome outcome = set.decide(plan, settings, acked, failed, index, now);
            trace.add("write " + index + " " + plan.mode() + " acked " + acked + " failed " + failed.keySet() + " -> "
                    + (outcome.committed() ? "committed" : "undone") + (outcome.degraded() ? " degraded" : ""));
            if (!outcome.committed()) {
                seen.merge("undone", 1, Integer::sum);
                master.set((int) index - 1, entry.asUndone());
                for (String slave : outcome.undoOn()) {
                    slaves.get(slave).set((int) index - 1, entry.asUndone());
                }
                assertThat(outcome.undoOn()).as(failure("undo goes to exactly the slaves that applied it"))
                        .containsExactlyInAnyOrderElementsOf(acked);
            } else if (outcome.mode() == ReplicationMode.SYNC && !outcome.degraded()) {
                syncAcknowledged.add(entry);
                for (String slave : SLAVES) {
                    List<LogEntry> log = slaves.get(slave);
                    if (log.size() < index || !log.get((int) index - 1).equals(entry)) {
                        assertThat(log).as(failure("a SYNC write answered without degrade is on " + slave)).contains(entry);
                    }
                }
            }
            if (outcome.degraded()) {
                seen.merge("degraded", 1, Integer::sum);
            }
            if (outcome.committed() && outcome.mode() == ReplicationMode.SEMI_SYNC && !outcome.degraded()) {
                assertThat(outcome.acked().size()).as(failure("a semi-sync write that is not degraded has k acks"))
                        .isGreaterThanOrEqualTo(settings.semiSyncAcks());
            }
        }

        void deliverKafka() {
            for (String slave : up) {
                List<LogEntry> log = slaves.get(slave);
                int offset = kafkaOffset.get(slave);
                while (offset < kafka.size()) {
                    LogEntry entry = kafka.get(offset);
                    if (entry.index() == log.size() + 1) {
                        log.add(master.get((int) entry.index() - 1));
                    } else if (entry.index() > log.size() + 1) {
                        break; // a gap: left to the master's catch-up
                    }
                    offset++;
                }
                kafkaOffset.put(slave, offset);
            }
            trace.add("kafka delivered to " + up);
        }

        void heartbeat() {
            now += 200;
            for (String slave : up) {
                set.onContact(slave, slaves.get(slave).size(), now);
            }
            List<String> changes = set.tick(now, master.size(), settings);
            for (String slave : set.needCatchUp(now)) {
                List<LogEntry> log = slaves.get(slave);
                for (int i = log.size(); i < master.size(); i++) {
                    log.add(master.get(i));
                }
                for (int i = 0; i < log.size(); i++) {
                    log.set(i, master.get(i)); // a catch-up also brings entries undone since
                }
                assertThat(set.caughtUp(slave, log.size(), master.size(), now)).as(failure("caught up counts again")).isTrue();
                seen.merge("caught up", 1, Integer::sum);
            }
            if (changes.stream().anyMatch(c -> c.startsWith("semi-sync restored"))) {
                seen.merge("semi-sync restored", 1, Integer::sum);
            }
            trace.add("heartbeat at " + now + " " + changes);
        }

        void checkEverySlaveLogIsAPrefixOfTheMasters() {
            for (String slave : SLAVES) {
                List<LogEntry> log = slaves.get(slave);
                if (log.size() > master.size()) {
                    assertThat(log.size()).as(failure(slave + " has no entry the master lacks")).isLessThanOrEqualTo(master.size());
                }
                for (int i = 0; i < log.size(); i++) {
                    if (log.get(i).index() != i + 1 || !log.get(i).key().equals(master.get(i).key())) {
                        assertThat(log.get(i)).as(failure(slave + " holds the master's entry " + (i + 1) + ", in index order"))
                                .isEqualTo(master.get(i));
                    }
                }
            }
        }

        void failover() {
            trace.add("master crashes; up: " + up);
            List<Candidate> candidates = up.stream()
                    .map(s -> new Candidate(s, 1, slaves.get(s).size())).toList();
            // the old master is down: the cluster of 3 needs 2 answering replicas
            if (!BullyElection.isMajority(candidates.size(), 3)) {
                assertThat(candidates.size()).as(failure("a minority does not elect")).isLessThan(2);
                seen.merge("no majority", 1, Integer::sum);
                return;
            }
            Candidate winner = BullyElection.winner(candidates);
            long epoch = BullyElection.nextEpoch(candidates);
            for (Candidate c : candidates) {
                assertThat(winner.lastIndex()).as(failure("the winner is the most up to date")).isGreaterThanOrEqualTo(c.lastIndex());
                assertThat(BullyElection.grants(c, epoch, winner)).as(failure(c.node() + " grants the winner")).isTrue();
            }
            EpochHistory history = EpochHistory.initial("replica-1")
                    .with(new EpochHistory.Epoch(epoch, winner.node(), winner.lastIndex() + 1));
            List<LogEntry> lost = history.divergent(master);
            seen.merge(lost.isEmpty() ? "election" : "election with lost writes", 1, Integer::sum);
            seen.merge("election", lost.isEmpty() ? 0 : 1, Integer::sum);
            assertThat(lost).as(failure("the lost writes are exactly the old master's entries after the fork"))
                    .isEqualTo(master.subList((int) winner.lastIndex(), master.size()));
            for (LogEntry acknowledged : syncAcknowledged) {
                assertThat(lost).as(failure("a SYNC write answered without degrade survives the failover")).doesNotContain(acknowledged);
            }
            for (String slave : SLAVES) {
                assertThat(history.divergent(slaves.get(slave))).as(failure(slave + " has not diverged")).isEmpty();
            }
            LogEntry next = new LogEntry(winner.lastIndex() + 1, epoch, Op.PUT, "after", "x", ReplicationMode.SYNC, now, false);
            assertThat(EpochFence.check(history, next)).as(failure("the new master's entries are accepted")).isEqualTo(EpochFence.Verdict.ACCEPT);
            if (!lost.isEmpty()) {
                assertThat(EpochFence.check(history, lost.get(0))).as(failure("the old master's entries are fenced"))
                        .isEqualTo(EpochFence.Verdict.STALE);
            }
        }

        /** Described lazily: the trace is only joined when an invariant fails. */
        Supplier<String> failure(String rule) {
            return () -> rule + " (seed " + seed + "; trace:\n  " + String.join("\n  ", trace) + ")";
        }
    }
}
