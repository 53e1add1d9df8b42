package io.dtxlab.coordinator.transaction;

import io.dtxlab.contract.BeginBatch;
import io.dtxlab.contract.BeginBatchReply;
import io.dtxlab.contract.BeginTransaction;
import io.dtxlab.contract.CommitPaths;
import io.dtxlab.contract.NotLeaderProblem;
import io.dtxlab.contract.TransactionAnswer;
import io.dtxlab.contract.TransactionDecision;
import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.messaging.PeerLinkRoute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Validated
@Tag(name = "Transactions", description = "Global transactions: their votes, decision, acknowledgements and timeline")
class TransactionController implements PeerLinkRoute<BeginBatch> {

    private static final String NOT_LEADER = "This coordinator does not lead (type urn:dtx:problem:not-leader): "
            + "'leader' names the leader it knows, if any; send there";

    private final CommitEngine engine;
    private final Transactions transactions;
    private final TransactionLog transactionLog;
    private final Leadership leadership;
    private final Timelines timelines;

    TransactionController(CommitEngine engine, Transactions transactions, TransactionLog transactionLog,
            Leadership leadership, Timelines timelines) {
        this.timelines = timelines;
        this.engine = engine;
        this.transactions = transactions;
        this.transactionLog = transactionLog;
        this.leadership = leadership;
    }

    @PostMapping(CommitPaths.TRANSACTIONS)
    @Operation(summary = "Run a global transaction (the order service calls this) and answer with its decision")
    @ApiResponse(responseCode = "200", description = "The transaction ran: its decision (COMMIT or ABORT with the "
            + "reason; PARTIAL for NONE), votes, acknowledgements and timeline")
    @ApiResponse(responseCode = "400", description = "Invalid begin (each field and rule named), an unknown "
            + "participant, or a participant named twice")
    @ApiResponse(responseCode = "503", description = NOT_LEADER)
    TransactionView begin(@Valid @RequestBody BeginTransaction request) {
        requireLeader();
        // waits on this request thread: cheaper than an async dispatch, and the engine never blocks on it
        try {
            return engine.begin(request).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @PostMapping(CommitPaths.TRANSACTIONS_BATCH)
    @Operation(summary = "Run several global transactions begun in one request (the order service sends these under "
            + "load) and answer each with its decision",
            description = "200 with one answer per begin, in order, once all of them may be answered: the fields of a "
                    + "single begin's answer that a caller needs (xid, decision, reason, coordinator, messages). A "
                    + "begin that failed on its own has only xid and failure. An invalid batch (empty, over 512 "
                    + "begins, any invalid begin) is a 400 problem detail and nothing is begun; a follower answers "
                    + "503 as for a single begin.")
    @ApiResponse(responseCode = "200", description = "One answer per begin, in order")
    @ApiResponse(responseCode = "503", description = NOT_LEADER)
    BeginBatchReply beginBatch(@Valid @RequestBody BeginBatch batch) {
        requireLeader();
        List<CompletableFuture<TransactionView>> runs = batch.transactions().stream().map(begin -> {
            try {
                return engine.begin(begin);
            } catch (RuntimeException e) {
                return CompletableFuture.<TransactionView>failedFuture(e);
            }
        }).toList();
        // waits on this request thread, as a single begin does: the engine never blocks on it
        List<TransactionAnswer> answers = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            String xid = batch.transactions().get(i).xid();
            answers.add(runs.get(i).handle((view, error) -> view != null
                    ? new TransactionAnswer(view.xid(), view.decision(), view.reason(), view.coordinator(),
                            view.messages(), null)
                    : TransactionAnswer.failed(xid, failure(error))).join());
        }
        return new BeginBatchReply(answers);
    }

    @Override
    public String path() {
        return CommitPaths.TRANSACTIONS_BATCH;
    }

    @Override
    public Class<BeginBatch> requestType() {
        return BeginBatch.class;
    }

    @Override
    public Object handle(BeginBatch batch) {
        return beginBatch(batch);
    }

    private static String failure(Throwable error) {
        Throwable cause = Futures.cause(error);
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    @PostMapping(CommitPaths.DECISION)
    @Operation(summary = "An in-doubt participant asks what was decided (unknown to the log: presumed abort)")
    @ApiResponse(responseCode = "200", description = "The decision, or known: false (presumed abort)")
    @ApiResponse(responseCode = "503", description = NOT_LEADER)
    TransactionDecision decision(@PathVariable String xid) {
        requireLeader();
        TransactionRun run = transactions.find(xid);
        if (run != null && !run.protocol().isAtomic()) {
            // NONE: no decision exists; each branch decided alone when it applied or refused
            return new TransactionDecision(xid, true, null, leadership.leader(), leadership.epoch(),
                    "NONE: no atomic commitment, no decision; each branch decided alone");
        }
        if (run != null) {
            String decision = run.isDecisionDurable() ? run.decision().orElseThrow().name() : null;
            return new TransactionDecision(xid, true, decision, leadership.leader(), leadership.epoch(),
                    decision == null ? null : run.reason());
        }
        return transactionLog.find(xid)
                .map(t -> new TransactionDecision(xid, true, t.decision(), leadership.leader(), leadership.epoch(), t.reason()))
                .orElseGet(() -> new TransactionDecision(xid, false, null, leadership.leader(), leadership.epoch(), null));
    }

    @GetMapping("/transactions")
    @Operation(summary = "List recent transactions, newest first (NONE transactions, never logged, only while this "
            + "coordinator remembers them)")
    List<TransactionView> recent(@RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        List<TransactionView> views = new ArrayList<>(timelines.listed(transactionLog.recent(limit)));
        transactions.recentUnlogged(limit).forEach(run -> views.add(run.view()));
        views.sort(java.util.Comparator.comparing(TransactionView::begunAt).reversed());
        return views.size() > limit ? views.subList(0, limit) : views;
    }

    @GetMapping("/transactions/{xid}")
    @Operation(summary = "Show one transaction: each participant's vote and ack, the decision, and the message timeline",
            description = "Any coordinator answers the same: one that did not run the transaction (or not all of it) "
                    + "fetches the timeline from the coordinators that did (timelineFrom); a part it cannot get now "
                    + "is named in timelineMissing")
    @ApiResponse(responseCode = "200", description = "The transaction: votes, decision, acknowledgements, timeline")
    @ApiResponse(responseCode = "404", description = "Unknown transaction: not in the log, and no coordinator ran it")
    TransactionView one(@PathVariable String xid) {
        return timelines.view(xid).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "unknown transaction '" + xid + "': not in the log, and no coordinator ran it"));
    }

    @GetMapping(Timelines.PARTS_PATH)
    @Operation(summary = "The runs of a transaction this coordinator drove, with their timelines (for the other "
            + "coordinators; empty when it ran none)")
    List<TransactionView> timelineParts(@PathVariable String xid) {
        return timelines.localParts(xid);
    }

    static TransactionView fromLog(LoggedTransaction t) {
        String state = t.endedAt() != null ? "ENDED"
                : t.decision() != null ? "SAGA".equals(t.protocol()) && "ABORT".equals(t.decision()) ? "COMPENSATING"
                : "DECIDED" : "BEGUN";
        Map<String, String> votes = t.votes();
        List<TransactionView.ParticipantView> participants = t.branches().stream().map(b -> {
            String v = votes.get(b.participant());
            String vote = v == null || v.startsWith("none") ? null : v.startsWith("YES") ? "YES" : "NO";
            String reason = v != null && v.contains(": ") ? v.substring(v.indexOf(": ") + 2) : null;
            return new TransactionView.ParticipantView(b.participant(), vote, reason, null, t.endedAt() != null, null);
        }).toList();
        Long duration = t.endedAt() == null ? null : Duration.between(t.begunAt(), t.endedAt()).toMillis();
        return new TransactionView(t.xid(), t.protocol(), state, t.decision(), t.reason(), t.coordinator(), t.epoch(),
                t.begunAt(), t.decidedAt(), t.endedAt(), duration, participants, List.of(), null, null, null, List.of(),
                false, "not in this coordinator's memory: GET /transactions/" + t.xid() + " reads it from disk or "
                        + "from the coordinator that ran it");
    }

    private void requireLeader() {
        if (!leadership.isLeader()) {
            ProblemDetail problem = NotLeaderProblem.of(leadership.leader(),
                    "this coordinator does not lead; the leader is " + leadership.leader());
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
    }
}
