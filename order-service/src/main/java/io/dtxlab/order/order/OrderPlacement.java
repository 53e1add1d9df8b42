package io.dtxlab.order.order;

import io.dtxlab.contract.BeginTransaction;
import io.dtxlab.contract.BranchSpec;
import io.dtxlab.contract.CoordinatorClient;
import io.dtxlab.contract.TransactionAnswer;
import io.dtxlab.participant.branch.BranchService;
import io.dtxlab.participant.coordinator.CoordinatorDirectory;
import io.dtxlab.participant.resource.ExpectedBranch;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.dtxlab.platform.node.NodeIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.ObjectMapper;

/**
 * Places an order as one global transaction: it names the three branches and their payloads and hands them to the
 * coordinator, which runs the protocol and answers with the decision. Counts every order placed in
 * {@code dtx.orders{protocol,outcome}}: CONFIRMED, REJECTED, PENDING, or UNAVAILABLE (no coordinator could take it;
 * answered 503).
 */
@Service
class OrderPlacement {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);
    static final String INVENTORY = "inventory";
    static final String PAYMENT = "payment";
    /** Long enough for phase 1's timeout and the decision; the coordinator answers sooner in any normal case. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    /** How long to look for a leader (an election takes about a second) before answering 503. */
    private static final Duration FIND_LEADER_WITHIN = Duration.ofSeconds(5);
    /**
     * How long to keep beginning the same xid once an attempt may have begun it, before answering 202: a request that
     * died with its coordinator must reach the next leader, which finishes the transaction or begins it.
     */
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(15);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /**
     * A begin unanswered this long makes the order service ask the other coordinators whether one of them leads now:
     * a leader that is paused or cut off refuses nothing, and a new one is elected in about a second.
     */
    private static final Duration SILENT_AFTER = Duration.ofSeconds(1);

    private final BeginBatching begins;
    private final CoordinatorDirectory coordinators;
    private final PriceList prices;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final String self;
    private final OrderBranch orderBranch;
    private final BranchService branches;
    private final OrderRepository orders;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    OrderPlacement(BeginBatching begins, CoordinatorDirectory coordinators, PriceList prices, MeterRegistry meters,
            ObjectMapper json, NodeIdentity node, OrderBranch orderBranch, BranchService branches,
            OrderRepository orders) {
        this.orderBranch = orderBranch;
        this.branches = branches;
        this.orders = orders;
        this.begins = begins;
        this.coordinators = coordinators;
        this.prices = prices;
        this.meters = meters;
        this.json = json;
        this.self = node.id();
    }

    /**
     * An order's ids: its own and its global transaction's. The 16 hex digits are time-ordered: the first 11 are the
     * milliseconds since 1970 when the order came, the last 5 a counter of this process that starts at a random value.
     * Every table that holds an order or a transaction is keyed by them (orders, each participant's branches, the
     * coordinators' log), and H2's B-trees take time-ordered keys at their right edge: a batch's rows share one or two
     * leaf pages, still in memory from the commit before, where random keys changed one page per row anywhere in the
     * tree, each read back from the file and written again in the commit's chunk (the reason databases prefer UUIDv7
     * keys to random ones: RFC 9562, UUID version 7). At 256 clients the cluster confirmed 605-737 orders/s with
     * these ids and 336-457 with random ones. Two ids of this process never repeat: that would
     * take a million orders in one millisecond.
     *
     * @param orderId {@code ord-} and 16 hex digits
     * @param xid {@code tx-} and the same 16 hex digits
     */
    record OrderIds(String orderId, String xid) {

        private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong(
                new java.security.SecureRandom().nextLong());

        static OrderIds fresh() {
            long millis = System.currentTimeMillis() & 0xFFF_FFFF_FFFFL; // 44 bits: until the year 2527
            long id = millis << 20 | (COUNTER.getAndIncrement() & 0xF_FFFF);
            String hex = Long.toHexString(id);
            String digits = "0".repeat(16 - hex.length()) + hex;
            return new OrderIds("ord-" + digits, "tx-" + digits);
        }

        /** The ids as an Idempotency-Key's resource reference: {@code "<orderId> <xid>"}. */
        String reference() {
            return orderId + " " + xid;
        }

        /** The ids a {@link #reference()} names. */
        static OrderIds ofReference(String reference) {
            int space = reference.indexOf(' ');
            if (space < 0) {
                throw new IllegalStateException("not an order's reference: '" + reference + "'");
            }
            return new OrderIds(reference.substring(0, space), reference.substring(space + 1));
        }
    }

    /**
     * Places {@code order} under {@code ids}. Placing the same ids again (a retry under the same Idempotency-Key)
     * places nothing new: the coordinators answer an xid they know with its state, and begin one they never saw.
     */
    PlacedOrder place(PlaceOrder order, OrderIds ids) {
        String orderId = ids.orderId();
        String xid = ids.xid();
        String protocol = order.protocolOrDefault();
        BigDecimal unitPrice = prices.unitPrice(order.sku());
        // an unknown SKU still runs: inventory votes NO with the reason, and the order is REJECTED like any other
        BigDecimal amount = amount(unitPrice, order.quantity());
        OrderBranch.NewOrder newOrder = new OrderBranch.NewOrder(orderId, order.customerId(), order.sku(),
                order.quantity(), protocol);
        BeginTransaction begin = new BeginTransaction(xid, protocol, List.of(
                branch(self, newOrder, false),
                branch(INVENTORY, new StockTake(order.sku(), order.quantity(), unitPrice), order.locksSemantically()),
                branch(PAYMENT, new Charge(order.customerId(), amount, orderId), order.locksSemantically())));
        MDC.put("scope", xid);
        try {
            log.info("order {}: {} x {} for {} ({}), beginning {}", orderId, order.quantity(), order.sku(),
                    order.customerId(), amount, protocol);
            PlacedOrder placed = begin(begin, order, orderId, unitPrice, amount);
            if (OrderStatus.PENDING.name().equals(placed.outcome())) {
                // so that GET /orders shows it even if no coordinator ever began it (its branch takes the row over)
                try {
                    orderBranch.outcomeUnknown(xid, newOrder, placed.reason() != null ? placed.reason()
                            : "the outcome is not known yet");
                } catch (org.springframework.dao.DataIntegrityViolationException raced) {
                    // its branch made the row meanwhile: the branch's row is the one that counts
                }
                // if its branch never arrives (no coordinator began it), the kit refuses it and the order is rejected
                branches.expect(new ExpectedBranch<>(xid, protocol, newOrder, clock.instant()));
            }
            count(protocol, placed.outcome());
            return placed;
        } catch (ResponseStatusException e) {
            if (e.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
                count(protocol, "UNAVAILABLE");
            }
            throw e;
        } finally {
            MDC.remove("scope");
        }
    }

    /** What an order charges: unit price times quantity, in cents; zero for an unknown SKU (it is rejected). */
    private static BigDecimal amount(BigDecimal unitPrice, int quantity) {
        return unitPrice == null ? BigDecimal.ZERO
                : unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP);
    }

    /**
     * The answer for an order placed before under {@code ids} (a retry with its Idempotency-Key) whose own row is
     * final, REJECTED or CONFIRMED, taken from that row: such an order is not begun again (a coordinator that never
     * began it, or no longer remembers a NONE run, would run it anew). Empty while the order is PENDING or unknown.
     */
    Optional<PlacedOrder> settled(PlaceOrder order, OrderIds ids) {
        return orders.findById(ids.orderId()).filter(o -> !OrderStatus.PENDING.name().equals(o.status())).map(o -> {
            BigDecimal unitPrice = prices.unitPrice(order.sku());
            return placed(ids.orderId(), ids.xid(), order.protocolOrDefault(), o.status(), o.reason(), order,
                    unitPrice, amount(unitPrice, order.quantity()), null, null);
        });
    }

    private BranchSpec branch(String participant, Object payload, boolean semanticLock) {
        return new BranchSpec(participant, json.valueToTree(payload), semanticLock ? Boolean.TRUE : null);
    }

    /**
     * Begins the transaction at the coordinator that leads. A coordinator that does not lead (503
     * {@link io.dtxlab.contract.NotLeaderProblem}), cannot be reached, died mid-request, or stays silent while another
     * leads ({@link #answerFrom}) is left for the next one (the leader it names, or the next in turn); beginning the same xid again is safe, because the coordinators
     * answer an xid they know with its state. Gives up with 503 after {@link #FIND_LEADER_WITHIN} if no attempt can
     * have begun the transaction (every one never arrived or was a not-leader answer); once one may have, it keeps
     * trying until {@link #SETTLE_WITHIN} and only then answers 202 PENDING.
     */
    private PlacedOrder begin(BeginTransaction begin, PlaceOrder order, String orderId, BigDecimal unitPrice,
            BigDecimal amount) {
        long started = System.nanoTime();
        boolean mayHaveBegun = false;
        while (true) {
            String coordinator = coordinators.leader();
            try {
                TransactionAnswer answer = answerFrom(coordinator, begin);
                String outcome = outcome(answer.decision());
                log.info("order {}: {}{}", orderId, outcome, answer.reason() == null ? "" : " (" + answer.reason() + ")");
                return placed(orderId, begin.xid(), begin.protocol(), outcome, answer.reason(), order, unitPrice, amount,
                        answer.coordinator(), answer.messages());
            } catch (RuntimeException e) {
                ClusterCallException call = e instanceof ClusterCallException c ? c : null;
                if (call != null && call.outcome() == MessageOutcome.REFUSED) {
                    throw e; // the coordinator refused the request itself: trying elsewhere would not help
                }
                String failure = call != null ? call.outcome().name() : e.getMessage();
                if (e instanceof LeaderMoved) {
                    mayHaveBegun = true; // the silent one may have begun it: the new leader answers with its state
                } else if (call == null) {
                    // not a message outcome (an answer that could not be read, say): the begin may have happened
                    log.warn("order {}: beginning it at {} failed: {}", orderId, coordinator, e.toString());
                    mayHaveBegun = true;
                } else {
                    boolean notLeader = CoordinatorClient.isNotLeader(call);
                    mayHaveBegun |= !neverArrived(call.outcome()) && !notLeader;
                    coordinators.notLeader(coordinator, CoordinatorClient.leaderHint(call).orElse(null));
                }
                long waited = System.nanoTime() - started;
                if (waited > (mayHaveBegun ? SETTLE_WITHIN : FIND_LEADER_WITHIN).toNanos()) {
                    if (!mayHaveBegun) {
                        throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "no coordinator leads now ("
                                + coordinator + ": " + failure + "); nothing was done, the order was not placed", e);
                    }
                    log.warn("order {}: outcome unknown, no coordinator answered ({})", orderId, failure);
                    return placed(orderId, begin.xid(), begin.protocol(), OrderStatus.PENDING.name(),
                            "the coordinator did not answer in time (" + failure + "); the outcome is not known yet",
                            order, unitPrice, amount, coordinator, null);
                }
                log.info("order {}: {} cannot begin it ({}); asking {}", orderId, coordinator, failure,
                        coordinators.leader());
                if (!(e instanceof LeaderMoved)) {
                    pause();
                }
            }
        }
    }

    /**
     * {@code coordinator}'s answer to {@code begin}. While it stays silent, every {@link #SILENT_AFTER} the other
     * coordinators are asked whether one of them leads now.
     *
     * @throws LeaderMoved when another leads now (the directory follows it); the silent one's answer is not awaited
     * @throws ClusterCallException when the request carrying it got no 2xx answer
     */
    private TransactionAnswer answerFrom(String coordinator, BeginTransaction begin) {
        CompletableFuture<TransactionAnswer> pending = begins.submit(coordinator, begin, ANSWER_WITHIN);
        long waited = 0;
        while (true) {
            try {
                TransactionAnswer answer = pending.get(SILENT_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                return begins.settle(coordinator, begin, answer, ANSWER_WITHIN);
            } catch (TimeoutException silent) {
                waited += SILENT_AFTER.toMillis();
                Optional<String> leader = coordinators.lookUpLeaderOtherThan(coordinator);
                if (leader.isPresent()) {
                    throw new LeaderMoved(coordinator + " has not answered in " + waited + " ms and " + leader.get()
                            + " leads now");
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + coordinator, e);
            }
        }
    }

    /** The coordinator asked has stayed silent, and another leads now. */
    private static final class LeaderMoved extends RuntimeException {
        LeaderMoved(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The order's outcome from the coordinator's: COMMIT is CONFIRMED; ABORT, and NONE's PARTIAL (some parts applied,
     * some refused), are REJECTED; none yet is PENDING.
     */
    static String outcome(String decision) {
        if (decision == null) {
            return OrderStatus.PENDING.name();
        }
        return switch (decision) {
            case "COMMIT" -> OrderStatus.CONFIRMED.name();
            case "ABORT", "PARTIAL" -> OrderStatus.REJECTED.name();
            default -> throw new IllegalStateException("unknown decision '" + decision + "' from the coordinator");
        };
    }

    private void count(String protocol, String outcome) {
        counters.computeIfAbsent(protocol + "|" + outcome, k -> Counter.builder("dtx.orders")
                .description("Orders placed, by protocol and outcome (CONFIRMED, REJECTED, PENDING, UNAVAILABLE)")
                .tag("protocol", protocol).tag("outcome", outcome)
                .register(meters)).increment();
    }

    /** A short pause between attempts, while a leader is being elected (only on this failure path). */
    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The request never arrived (no connection, a partition), or was refused before anything happened: the
     * transaction cannot have begun. (A dropped reply, a timeout or a broken connection could follow a begin.)
     */
    private static boolean neverArrived(MessageOutcome outcome) {
        return outcome == MessageOutcome.UNREACHABLE || outcome == MessageOutcome.PARTITIONED
                || outcome == MessageOutcome.REFUSED;
    }

    private static PlacedOrder placed(String orderId, String xid, String protocol, String outcome, String reason,
            PlaceOrder order, BigDecimal unitPrice, BigDecimal amount, String coordinator, Integer messages) {
        return new PlacedOrder(orderId, xid, protocol, outcome, reason, order.customerId(), order.sku(),
                order.quantity(), unitPrice, amount, coordinator, messages);
    }

    /** Inventory's payload. */
    record StockTake(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** Payment's payload. */
    record Charge(String customerId, BigDecimal amount, String orderId) {
    }
}
