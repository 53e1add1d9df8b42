package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A transaction's timeline as any coordinator shows it. Each coordinator keeps the timelines of the runs it drove
 * (in memory, and in its H2 file once a run ended or was left: {@link TimelineStore}); the log, which every
 * coordinator holds, names the coordinator that began the transaction. A coordinator asked about a transaction it
 * did not run whole (it did not begin it, or another finished it) asks the other coordinators for their parts
 * ({@code GET /internal/transactions/{xid}/timeline}) and shows them merged, with {@code timelineFrom} naming them;
 * a part it cannot get is named in {@code timelineMissing} rather than shown as an empty list. Only reads of one
 * transaction pay for this: the order path writes nothing more than before to the log.
 */
@Component
class Timelines {

    static final String PARTS_PATH = "/internal/transactions/{xid}/timeline";
    private static final Duration ASK_WITHIN = Duration.ofSeconds(2);

    private final Transactions transactions;
    private final TimelineStore store;
    private final TransactionLog transactionLog;
    private final ClusterClient client;

    Timelines(Transactions transactions, TimelineStore store, TransactionLog transactionLog, ClusterClient client) {
        this.transactions = transactions;
        this.store = store;
        this.transactionLog = transactionLog;
        this.client = client;
    }

    /**
     * What this coordinator shows of each of {@code logged} in a listing: the run in memory, else the last run it
     * stored if that run ended it (with its timeline; one query for all of them), else what the log holds (a run it
     * handed to the next leader was stored unfinished). In the order given.
     */
    List<TransactionView> listed(List<LoggedTransaction> logged) {
        List<TransactionView> views = new ArrayList<>(logged.size());
        Map<String, TransactionRun> inMemory = new HashMap<>();
        List<String> elsewhere = new ArrayList<>();
        for (LoggedTransaction t : logged) {
            TransactionRun run = transactions.find(t.xid());
            if (run != null) {
                inMemory.put(t.xid(), run);
            } else {
                elsewhere.add(t.xid());
            }
        }
        Map<String, TransactionView> stored = store.findLatest(elsewhere);
        for (LoggedTransaction t : logged) {
            TransactionRun run = inMemory.get(t.xid());
            TransactionView view = run != null ? run.view() : stored.get(t.xid());
            boolean current = view != null && (run != null || "ENDED".equals(view.state()));
            views.add(current ? view : TransactionController.fromLog(t));
        }
        return views;
    }

    /** The runs of {@code xid} this coordinator drove: those stored, and the one in memory if not stored yet. */
    List<TransactionView> localParts(String xid) {
        List<TransactionView> parts = new ArrayList<>(store.find(xid));
        TransactionRun run = transactions.find(xid);
        if (run != null) {
            TransactionView view = run.view();
            if (!view.timelineStored()) {
                parts.add(view);
            }
        }
        return parts;
    }

    /**
     * The transaction with the timeline of every coordinator that ran it; empty if neither this coordinator's log
     * nor any coordinator knows {@code xid} (NONE transactions are not logged: only the coordinator that ran one
     * knows it).
     */
    Optional<TransactionView> view(String xid) {
        TransactionRun run = transactions.find(xid);
        Optional<LoggedTransaction> logged = transactionLog.find(xid);
        String self = client.self();
        String beganBy = logged.map(LoggedTransaction::coordinator).orElse(null);
        List<TransactionView> parts = localParts(xid);
        boolean whole = logged.isEmpty() ? !parts.isEmpty()
                : self.equals(beganBy) && (run != null || parts.stream().anyMatch(p -> "ENDED".equals(p.state())));
        Map<String, String> unreachable = new LinkedHashMap<>();
        if (!whole) {
            for (String peer : peers()) {
                try {
                    TransactionView[] theirs = client.get(peer, "timeline", xid,
                            PARTS_PATH.replace("{xid}", xid), TransactionView[].class, ASK_WITHIN);
                    parts.addAll(List.of(theirs == null ? new TransactionView[0] : theirs));
                } catch (ClusterCallException e) {
                    unreachable.put(peer, e.outcome().name());
                }
            }
        }
        if (run == null && logged.isEmpty() && parts.isEmpty()) {
            return Optional.empty();
        }
        parts.sort(Comparator.comparing(Timelines::firstAt));
        TransactionView base = run != null ? run.view()
                : logged.map(TransactionController::fromLog).orElseGet(() -> parts.get(parts.size() - 1));
        List<String> from = parts.stream().map(TransactionView::coordinator).distinct().toList();
        List<String> missing = new ArrayList<>();
        if (beganBy != null && !from.contains(beganBy)) {
            missing.add(unreachable.containsKey(beganBy)
                    ? beganBy + " began it and keeps its timeline, but cannot be reached now ("
                            + unreachable.get(beganBy) + "); ask again once it is back"
                    : beganBy + " began it but holds no timeline of it: it stopped before its run ended (a run's "
                            + "timeline is written when it ends or is left to the next leader), or purged it (only "
                            + "the dtx.coordinator.timelines-kept most recent are kept)");
        }
        if (!unreachable.isEmpty() && !"ENDED".equals(base.state()) || beganBy == null && parts.isEmpty()) {
            unreachable.keySet().stream().filter(c -> !c.equals(beganBy)).forEach(c -> missing.add(
                    c + " could not be asked for its part (" + unreachable.get(c) + ")"));
        }
        if (parts.isEmpty()) {
            return Optional.of(base.withTimeline(null, List.of(), null, null, false, String.join("; ", missing)));
        }
        List<TimelineEntry> timeline = parts.stream().flatMap(p -> p.timeline().stream()).toList();
        Integer messages = parts.stream().map(TransactionView::messages).filter(Objects::nonNull)
                .reduce(Integer::sum).orElse(null);
        Integer consensus = parts.stream().map(TransactionView::consensusMessages).filter(Objects::nonNull)
                .reduce(Integer::sum).orElse(null);
        boolean stored = parts.stream().allMatch(TransactionView::timelineStored);
        return Optional.of(base.withTimeline(timeline, from, messages, consensus, stored,
                missing.isEmpty() ? null : String.join("; ", missing)));
    }

    private List<String> peers() {
        return client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == NodeRole.COORDINATOR).isPresent())
                .filter(id -> !id.equals(client.self())).sorted().toList();
    }

    private static Instant firstAt(TransactionView part) {
        return part.timeline() == null || part.timeline().isEmpty() ? part.begunAt() : part.timeline().get(0).at();
    }
}
