package io.dtxlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Orders on order-service ({@code POST /orders}), each one global transaction across order, inventory and payment.
 * Outcomes: CONFIRMED (the success), REJECTED, PENDING (202), UNAVAILABLE (503: no coordinator), CLIENT_ERROR
 * (another 4xx), ERROR (another 5xx, no answer, client timeout). The operation is the order's protocol.
 */
public final class OrdersWorkload implements Workload {

    /**
     * Participant kinds on the wire: a batch of several transactions' messages to one participant, the 3PC termination
     * rule's state request, and single messages (2PC, 3PC, and the baseline's one-shot apply).
     */
    static final Set<String> PARTICIPANT_KINDS = Set.of("branch-batch", "state-request", "prepare", "commit", "abort",
            "can-commit", "pre-commit", "do-commit", "apply");

    /**
     * @param mix which protocol each order asks for
     * @param data the customers and SKUs to pick from
     * @param hot the fraction of orders sent to the hot SKU (the data set's first), 0..1
     * @param quantity units per order
     * @param seed what to seed before the run, or null to seed nothing
     */
    public record Spec(ProtocolMix mix, DataSet data, double hot, int quantity, Seeder.Spec seed) {
        public Spec {
            if (!(hot >= 0 && hot <= 1)) {
                throw new IllegalArgumentException("--hot must be a fraction between 0 and 1, was " + hot);
            }
            if (quantity < 1 || quantity > 1000) {
                throw new IllegalArgumentException("--quantity must be between 1 and 1000, was " + quantity);
            }
        }
    }

    private final Targets targets;
    private final Http http;
    private final Spec spec;
    private final Duration settle;

    public OrdersWorkload(Targets targets, Http http, Spec spec, Duration settle) {
        this.targets = targets;
        this.http = http;
        this.spec = spec;
        this.settle = settle;
    }

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public String label() {
        return spec.mix().toString();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("protocol", spec.mix().weights());
        p.put("customers", spec.data().customers().size());
        p.put("skus", spec.data().skus().size());
        p.put("hot", spec.hot());
        p.put("hotSku", spec.data().hotSku());
        p.put("quantity", spec.quantity());
        return p;
    }

    @Override
    public Set<String> successes() {
        return Set.of("CONFIRMED");
    }

    @Override
    public Set<String> errors() {
        return Set.of(Outcomes.UNAVAILABLE, Outcomes.CLIENT_ERROR, Outcomes.ERROR);
    }

    @Override
    public Map<String, Object> prepare() {
        return spec.seed() == null ? Map.of() : new Seeder(targets, http).seed(spec.seed());
    }

    @Override
    public Result call(RandomGenerator random) {
        String protocol = spec.mix().pick(random);
        List<String> customers = spec.data().customers();
        List<String> skus = spec.data().skus();
        String sku = random.nextDouble() < spec.hot() ? spec.data().hotSku() : skus.get(random.nextInt(skus.size()));
        Map<String, Object> order = Map.of("customerId", customers.get(random.nextInt(customers.size())), "sku", sku,
                "quantity", spec.quantity(), "protocol", protocol);
        Http.Response r = http.post(targets.url("order") + "/orders", order);
        return new Result(protocol, outcome(r));
    }

    static String outcome(Http.Response r) {
        if (r.status() == 201) {
            try {
                String outcome = r.json().path("outcome").asText();
                return "CONFIRMED".equals(outcome) || "REJECTED".equals(outcome) ? outcome : Outcomes.ERROR;
            } catch (IllegalStateException notJson) {
                return Outcomes.ERROR;
            }
        }
        if (r.status() == 202) {
            return "PENDING";
        }
        return Outcomes.failure(r);
    }

    /**
     * Waits (up to the settle time) until no participant holds a branch in doubt, then runs the coordinators' audit
     * over the run's transactions.
     */
    @Override
    public Map<String, Object> audit(long sent) {
        int limit = (int) Math.min(100_000, sent + 100);
        long deadline = System.nanoTime() + settle.toNanos();
        JsonNode report = null;
        Map<String, Long> inDoubt = Map.of();
        String failure = "no coordinator answered /audit";
        while (true) {
            Http.Response r = askAudit(limit);
            if (r.ok()) {
                report = r.json();
                inDoubt = inDoubt(report);
                failure = null;
            } else {
                failure = "audit: " + r.describe();
            }
            boolean settled = report != null && inDoubt.values().stream().allMatch(n -> n == 0);
            if (settled || System.nanoTime() > deadline) {
                break;
            }
            sleep(250);
        }
        Map<String, Object> audit = new LinkedHashMap<>();
        if (report == null) {
            audit.put("consistent", false);
            audit.put("summary", "audit failed: " + failure);
            return audit;
        }
        boolean consistent = report.path("consistent").asBoolean(false);
        int mixed = report.path("mixedOutcomes").size();
        int against = report.path("againstDecision").size();
        JsonNode halfDoneNode = report.path("halfDone");
        long halfDone = halfDoneNode.isNumber() ? halfDoneNode.asLong() : halfDoneNode.size();
        List<String> failed = new ArrayList<>();
        for (JsonNode p : report.path("invariants")) {
            for (JsonNode check : p.path("checks")) {
                if (!check.path("holds").asBoolean(true)) {
                    failed.add(p.path("participant").asText() + ": " + check.path("name").asText() + " "
                            + check.path("detail").asText());
                }
            }
            if (!p.path("holds").asBoolean(true) && p.path("checks").isEmpty()) {
                failed.add(p.path("participant").asText() + ": invariants do not hold");
            }
        }
        List<String> unreachable = new ArrayList<>();
        report.path("unreachable").forEach(u -> unreachable.add(u.asText()));
        long stillInDoubt = inDoubt.values().stream().mapToLong(Long::longValue).sum();

        audit.put("consistent", consistent);
        audit.put("checkedTransactions", report.path("checkedTransactions").asLong());
        audit.put("mixedOutcomes", mixed);
        audit.put("againstDecision", against);
        audit.put("halfDone", halfDone);
        audit.put("inDoubt", inDoubt);
        audit.put("failedInvariants", failed);
        audit.put("unreachable", unreachable);
        audit.put("limit", limit);
        List<String> why = new ArrayList<>();
        if (mixed > 0) {
            why.add(mixed + " transactions with a mixed outcome (atomicity broken)");
        }
        if (against > 0) {
            why.add(against + " branches against their decision");
        }
        if (halfDone > 0) {
            why.add(halfDone + " orders half done: not atomic (expected without atomic commitment, protocol NONE)");
        }
        if (!failed.isEmpty()) {
            why.add("invariants broken: " + String.join("; ", failed));
        }
        if (!unreachable.isEmpty()) {
            why.add("participants not asked: " + String.join(", ", unreachable));
        }
        if (stillInDoubt > 0) {
            why.add(stillInDoubt + " branches still in doubt after " + Durations.format(settle));
        }
        if (!consistent && why.isEmpty()) {
            why.add("the audit says inconsistent");
        }
        audit.put("summary", consistent ? "consistent: " + report.path("checkedTransactions").asLong()
                + " transactions checked, nothing in doubt" : "INCONSISTENT: " + String.join("; ", why));
        return audit;
    }

    private Http.Response askAudit(int limit) {
        Http.Response last = new Http.Response(0, null, "no coordinator");
        for (String coordinator : targets.coordinators()) {
            Http.Response r = http.get(targets.url(coordinator) + "/audit?limit=" + limit);
            if (r.ok()) {
                return r;
            }
            last = r;
        }
        return last;
    }

    /** The audit's {@code inDoubt}: participant to the number of branches that voted YES and wait for a decision. */
    private static Map<String, Long> inDoubt(JsonNode report) {
        Map<String, Long> result = new TreeMap<>();
        report.path("inDoubt").fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asLong()));
        return result;
    }

    /**
     * Per finished transaction (the coordinators' {@code dtx_tx_ended_total}, counted at the same moment as the
     * messages, so the ratio is exact however the window cuts): participant and consensus messages as the
     * coordinators count them (logical: a request and its reply are two), and HTTP requests on the wire (every
     * node's {@code dtx_messages_seconds_count}), grouped into participant, paxos and other.
     */
    @Override
    public Map<String, Object> messages(MetricsDelta delta, LatencyRecorder recorder) {
        Map<String, Object> m = new LinkedHashMap<>();
        double tx = delta.total("dtx_tx_ended_total").orElse(0);
        m.put("transactions", Math.round(tx));
        Map<String, Double> byProtocolTx = delta.totalBy("dtx_tx_ended_total", "protocol");
        m.put("transactionsByProtocol", rounded(byProtocolTx));
        m.put("participantMessagesPerTx", MetricsDelta.ratio(delta.total("dtx_tx_messages_total"), tx));
        m.put("consensusMessagesPerTx", MetricsDelta.ratio(delta.total("dtx_tx_consensus_messages_total"), tx));
        Map<String, Double> byProtocolMsgs = delta.totalBy("dtx_tx_messages_total", "protocol");
        Map<String, Double> byProtocolConsensus = delta.totalBy("dtx_tx_consensus_messages_total", "protocol");
        Map<String, Object> perProtocol = new TreeMap<>();
        byProtocolTx.forEach((p, n) -> {
            if (Math.round(n) == 0) {
                return; // a protocol this run did not use
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("participantMessagesPerTx", byProtocolMsgs.containsKey(p) ? MetricsDelta.ratio(byProtocolMsgs.get(p), n) : null);
            e.put("consensusMessagesPerTx", byProtocolConsensus.containsKey(p) ? MetricsDelta.ratio(byProtocolConsensus.get(p), n) : null);
            perProtocol.put(p, e);
        });
        m.put("byProtocol", perProtocol);
        Map<String, Double> wire = delta.totalBy("dtx_messages_seconds_count", "kind");
        double participantWire = 0;
        double paxosWire = 0;
        double beginWire = 0;
        double otherWire = 0;
        for (Map.Entry<String, Double> e : wire.entrySet()) {
            if (PARTICIPANT_KINDS.contains(e.getKey())) {
                participantWire += e.getValue();
            } else if (e.getKey().startsWith("paxos-")) {
                paxosWire += e.getValue();
            } else if (e.getKey().equals("begin")) {
                beginWire += e.getValue();
            } else {
                otherWire += e.getValue();
            }
        }
        Map<String, Object> wirePerTx = new LinkedHashMap<>();
        wirePerTx.put("participant", MetricsDelta.ratio(participantWire, tx));
        wirePerTx.put("paxos", MetricsDelta.ratio(paxosWire, tx));
        wirePerTx.put("begin", MetricsDelta.ratio(beginWire, tx));
        wirePerTx.put("other", MetricsDelta.ratio(otherWire, tx));
        m.put("wireRequestsPerTx", wirePerTx);
        m.put("wireRequestsByKind", rounded(wire));
        return m;
    }

    /**
     * An order's waits, from the nodes' histograms: {@code beginQueued} (in the order service's lane to its
     * coordinator, until the request carrying its begin left) and {@code beginAnswer} (from then until that request's
     * 2xx answer, which comes once every transaction of the batch may be answered, so it holds their phases), each
     * {@code {p50, p99}} in ms; and {@code coordinator}: protocol, then phase, then {@code {p50, p99}}, from
     * {@code dtx_tx_phase_seconds} ({@code voting} from the begin to the durable decision, {@code commit} or
     * {@code abort} from there to the last acknowledgement, NONE's {@code apply}). Estimated within the buckets; a
     * stage nothing passed through in the window is left out. Quantiles of stages do not add up to the client's.
     */
    @Override
    public Map<String, Object> stages(MetricsDelta delta) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String stage : List.of("queued", "answer")) { // reported as beginQueued, beginAnswer
            delta.quantilesMs("dtx_orders_begin_seconds", l -> stage.equals(l.get("stage")), 0.5, 0.99).ifPresent(q ->
                    stages.put("begin" + Character.toUpperCase(stage.charAt(0)) + stage.substring(1), p50p99(q)));
        }
        Map<String, Object> coordinator = new TreeMap<>();
        delta.totalBy("dtx_tx_phase_seconds_count", "protocol").keySet().forEach(protocol -> {
            Map<String, Object> phases = new LinkedHashMap<>();
            for (String phase : List.of("voting", "apply", "commit", "abort")) {
                Predicate<Map<String, String>> series = l -> protocol.equals(l.get("protocol"))
                        && phase.equals(l.get("phase"));
                delta.quantilesMs("dtx_tx_phase_seconds", series, 0.5, 0.99)
                        .ifPresent(q -> phases.put(phase, p50p99(q)));
            }
            if (!phases.isEmpty()) {
                coordinator.put(protocol, phases);
            }
        });
        if (!coordinator.isEmpty()) {
            stages.put("coordinator", coordinator);
        }
        return stages;
    }

    private static Map<String, Double> p50p99(List<Double> q) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", q.get(0));
        m.put("p99", q.get(1));
        return m;
    }

    /** Whole counts, leaving out what did not grow (kinds other nodes sent, but not in this window). */
    static Map<String, Long> rounded(Map<String, Double> counts) {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (Math.round(v) != 0) {
                result.put(k, Math.round(v));
            }
        });
        return result;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
