package io.dtxlab.coordinator.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.coordinator.log.DecidedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.coordinator.transaction.UnloggedOutcomes;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Service;

/**
 * Compares the coordinator's decisions with what every participant's branches say, and collects each
 * participant's own invariants. It reads; it changes nothing. A mixed outcome is what 3PC's timeouts can produce
 * under a partition, and what 2PC must never produce. A half-done transaction is what NONE (no atomic commitment)
 * produces whenever one part is refused: the parts that applied are kept.
 * <p>
 * Cost: two calls per participant, made in parallel: its recent branches in compact form
 * ({@code GET /audit/branches}) and its own audit ({@code GET /audit}, which also counts its branches by state).
 */
@Service
class Audit {

    /** A participant reads and checks every branch it ever had: after a long benchmark that takes seconds. */
    private static final Duration READ_WITHIN = Duration.ofSeconds(60);

    /** The most transactions one audit checks: a benchmark run. */
    static final int MAX_LIMIT = 100_000;
    /** The participants' cap on {@code /audit/branches}. */
    private static final int MAX_BRANCHES = 200_000;
    private static final List<String> WAITING = List.of("PREPARED", "VOTED", "PRE_COMMITTED");
    private static final Set<NodeRole> PARTICIPANTS = EnumSet.of(NodeRole.ORDER, NodeRole.INVENTORY, NodeRole.PAYMENT);
    private static final String NONE = "NONE";
    private static final String SAGA = "SAGA";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BranchSummary(String xid, String protocol, String state, Instant updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ParticipantAudit(String participant, boolean holds, List<AuditReport.Check> invariants,
            Map<String, Long> branches) {
    }

    /** One participant's answers: its recent branches by xid, whether that is all of them, and its own audit. */
    private record Fetched(String participant, Map<String, BranchSummary> byXid, boolean complete, Instant oldest,
            ParticipantAudit audit) {

        /**
         * Whether the branches fetched reach back to {@code at}, less {@code margin}: a branch of the same
         * transaction would be among them even if this participant applied it somewhat earlier than the others.
         */
        boolean covers(Instant at, Duration margin) {
            return complete || oldest == null || at == null || !oldest.isAfter(at.minus(margin));
        }
    }

    private final TransactionLog transactionLog;
    private final ClusterClient client;
    private final UnloggedOutcomes unlogged;

    /**
     * How far apart in time two participants may apply branches of one NONE transaction: the apply timeout, plus
     * a second for clock skew between participants. Near the edge of the audited window, a branch further back is
     * not called missing.
     */
    private final Duration sameTransaction;

    Audit(TransactionLog transactionLog, ClusterClient client, UnloggedOutcomes unlogged,
            CoordinatorProperties properties) {
        this.sameTransaction = properties.prepareTimeout().plusSeconds(1);
        this.transactionLog = transactionLog;
        this.client = client;
        this.unlogged = unlogged;
    }

    AuditReport run(int limit) {
        List<DecidedTransaction> decided = transactionLog.recentDecided(limit);
        TreeSet<String> participants = new TreeSet<>();
        decided.forEach(t -> participants.addAll(t.participants()));
        client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(PARTICIPANTS::contains).isPresent())
                .forEach(participants::add);
        int asked = Math.min(MAX_BRANCHES, 2 * limit);

        Map<String, Fetched> fetched = new TreeMap<>();
        List<String> unreachable = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, participants.size()));
        try {
            Map<String, CompletableFuture<Fetched>> calls = new LinkedHashMap<>();
            participants.forEach(p -> calls.put(p, CompletableFuture.supplyAsync(() -> fetch(p, asked), pool)));
            calls.forEach((participant, call) -> {
                try {
                    Fetched f = call.join();
                    fetched.put(participant, f);
                } catch (CompletionException e) {
                    if (!(e.getCause() instanceof ClusterCallException failed)) {
                        throw e;
                    }
                    unreachable.add(participant + " (" + failed.outcome() + ")");
                }
            });
        } finally {
            pool.shutdownNow();
        }

        List<AuditReport.ParticipantInvariants> invariants = new ArrayList<>();
        Map<String, Long> inDoubt = new TreeMap<>();
        fetched.values().forEach(f -> {
            invariants.add(new AuditReport.ParticipantInvariants(f.participant(), f.audit().holds(),
                    f.audit().invariants().stream().filter(c -> !c.holds()).toList()));
            Map<String, Long> counts = f.audit().branches() == null ? Map.of() : f.audit().branches();
            inDoubt.put(f.participant(), WAITING.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum());
        });

        List<AuditReport.Finding> mixed = new ArrayList<>();
        List<AuditReport.Finding> against = new ArrayList<>();
        List<AuditReport.Finding> compensating = new ArrayList<>();
        for (DecidedTransaction t : decided) {
            Map<String, String> branches = new LinkedHashMap<>();
            for (String participant : t.participants()) {
                Fetched seen = fetched.get(participant);
                BranchSummary branch = seen == null ? null : seen.byXid().get(t.xid());
                if (branch != null) {
                    branches.put(participant, branch.state());
                }
            }
            boolean committed = branches.containsValue("COMMITTED");
            // a saga's step undone by its compensation counts as not done, as an aborted branch does
            boolean undone = branches.containsValue("ABORTED") || branches.containsValue("COMPENSATED");
            AuditReport.Finding finding = new AuditReport.Finding(t.xid(), t.protocol(), t.decision(), t.reason(), branches);
            if (SAGA.equals(t.protocol()) && "ABORT".equals(t.decision()) && !t.ended()) {
                // eventual consistency: applied steps stay visible until their compensations succeed
                if (committed) {
                    compensating.add(finding);
                }
                continue;
            }
            if (committed && undone) {
                mixed.add(finding);
            }
            boolean opposite = "COMMIT".equals(t.decision()) ? undone : committed;
            if (opposite) {
                against.add(finding);
            }
        }

        Map<String, Map<String, BranchSummary>> unloggedXids = new LinkedHashMap<>();
        fetched.values().forEach(f -> f.byXid().values().stream().filter(b -> NONE.equals(b.protocol()))
                .forEach(b -> unloggedXids.computeIfAbsent(b.xid(), x -> new HashMap<>()).put(f.participant(), b)));
        List<AuditReport.Finding> halfDone = new ArrayList<>();
        unloggedXids.forEach((xid, reported) -> halfDone(xid, reported, fetched).ifPresent(halfDone::add));

        // a participant that cannot be asked cannot be vouched for
        boolean consistent = mixed.isEmpty() && against.isEmpty() && halfDone.isEmpty() && unreachable.isEmpty()
                && invariants.stream().allMatch(AuditReport.ParticipantInvariants::holds);
        return new AuditReport(consistent, decided.size() + unloggedXids.size(), mixed, against, halfDone, compensating,
                inDoubt, invariants, unreachable);
    }

    /**
     * A NONE transaction is half done when some branch COMMITTED while another ABORTED or is MISSING. A participant
     * counts as missing the branch only if its answer reaches back far enough to be sure; a transaction this
     * coordinator is still running is left alone.
     */
    private Optional<AuditReport.Finding> halfDone(String xid, Map<String, BranchSummary> reported,
            Map<String, Fetched> fetched) {
        Optional<UnloggedOutcomes.Outcome> known = unlogged.find(xid);
        if (known.isPresent() && known.get().outcome() == null) {
            return Optional.empty(); // its apply answers are still coming
        }
        List<String> expected = known.map(UnloggedOutcomes.Outcome::participants)
                .orElseGet(() -> new ArrayList<>(fetched.keySet()));
        Instant earliest = reported.values().stream().map(BranchSummary::updatedAt)
                .filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        Map<String, String> branches = new LinkedHashMap<>();
        for (String p : expected) {
            BranchSummary branch = reported.get(p);
            Fetched seen = fetched.get(p);
            if (branch != null) {
                branches.put(p, branch.state());
            } else if (seen != null && seen.covers(earliest, sameTransaction)) {
                branches.put(p, "MISSING");
            }
        }
        boolean committed = branches.containsValue("COMMITTED");
        boolean notDone = branches.containsValue("ABORTED") || branches.containsValue("MISSING");
        if (!committed || !notDone) {
            return Optional.empty();
        }
        return Optional.of(new AuditReport.Finding(xid, NONE, known.map(UnloggedOutcomes.Outcome::outcome).orElse(null),
                known.map(UnloggedOutcomes.Outcome::reason).orElse(null), branches));
    }

    private Fetched fetch(String participant, int asked) {
        BranchSummary[] branches = client.get(participant, "audit", null, "/audit/branches?limit=" + asked,
                BranchSummary[].class, READ_WITHIN);
        Map<String, BranchSummary> byXid = new HashMap<>(branches.length * 2);
        Instant oldest = null;
        for (BranchSummary b : branches) {
            // a benchmark run holds 100,000s of these: share the few distinct protocol and state strings
            byXid.put(b.xid(), new BranchSummary(b.xid(), b.protocol() == null ? null : b.protocol().intern(),
                    b.state() == null ? null : b.state().intern(), b.updatedAt()));
            if (b.updatedAt() != null && (oldest == null || b.updatedAt().isBefore(oldest))) {
                oldest = b.updatedAt();
            }
        }
        ParticipantAudit audit = client.get(participant, "audit", null, "/audit", ParticipantAudit.class, READ_WITHIN);
        return new Fetched(participant, byXid, branches.length < asked, oldest, audit);
    }
}
