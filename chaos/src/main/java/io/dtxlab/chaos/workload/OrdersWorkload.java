package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.DataSet;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.Seeder;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.OrdersChecker;
import io.dtxlab.chaos.check.OrdersSnapshot;
import io.dtxlab.chaos.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Orders, each one global transaction across order, inventory and payment ({@code POST /orders} on order-service),
 * judged by {@link OrdersChecker}: atomic commitment and the books.
 * <p>
 * Each client places orders of a random customer and SKU of the {@link DataSet}, 1 to 3 units, with a protocol drawn
 * from the {@link ProtocolMix}, each with an {@code Idempotency-Key} of its own. Recorded as {@code order}: the invoke
 * value is the request and its key ({@code customerId}, {@code sku}, {@code quantity}, {@code protocol},
 * {@code idempotencyKey}); a 201 is {@code ok} with the answer (CONFIRMED or REJECTED); a 4xx other than 409 (refused
 * before anything was placed) or a refused connection is {@code fail}; a 202 (PENDING), a 409, a 5xx or a timeout is
 * {@code info}, with the answer's body when there is one.
 * <p>
 * After the run, every {@code info} order whose xid its client never learnt is sent again, same body and key: the
 * service places nothing new under a key it knows (it answers the first answer again, or resumes the same order), so
 * the answer names the order's xid, which goes into the snapshot ({@link OrdersSnapshot#xidsByIdempotencyKey()}), and
 * nothing into the history. Should the first request never have arrived, the order is placed now: an {@code info}
 * operation may take effect at any time after its invoke.
 */
public final class OrdersWorkload implements Workload {

    /** The customers and SKUs a run picks from by default: few SKUs, so that orders contend for them. */
    public static final DataSet DEFAULT_DATA = DataSet.seeded(100, 10);
    /** Waiting for in-doubt branches to resolve before the run, at most. */
    static final Duration PREPARE_WITHIN = Duration.ofSeconds(30);
    /** How many branches before the run are remembered per participant: the newest, which bound the run's. */
    static final int BEFORE_RUN = 1_000;
    /** How many orders are sent again at once after the run. */
    static final int RESENDERS = 8;
    /** The order service's header for a request's key (service-platform's {@code IdempotencyKey.HEADER}). */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Targets targets;
    private final Http http;
    private final long seed;
    private final ProtocolMix mix;
    private final DataSet data;
    private final Duration prepareWithin;
    private final Participants participants;
    private final String keyPrefix = "chaos-" + RunNames.tag() + "-";
    private final AtomicLong placed = new AtomicLong();
    /** Orders of unknown outcome whose xid their client never learnt, to send again after the run. */
    private final Queue<Unlinked> unlinked = new ConcurrentLinkedQueue<>();
    private final Map<String, Set<String>> before = new ConcurrentHashMap<>();
    private volatile Map<String, OrdersSnapshot.Stock> stockAtStart;
    private volatile Map<String, OrdersSnapshot.Account> accountsAtStart;

    /** An order to send again: its key and its body, exactly as first sent. */
    private record Unlinked(String key, Map<String, Object> body) {
    }

    /**
     * @param targets the cluster: {@code order}, {@code inventory} and {@code payment} are used
     * @param http the client, with a request timeout of a few seconds, and the admin token for seeding
     * @param seed the run's seed: customer, SKU, quantity and protocol of each order
     * @param mix the protocol each order asks for, e.g. {@code ProtocolMix.only("2PC")}
     * @param data the customers and SKUs to pick from; seeded by {@link #prepare()} if missing
     * @throws IllegalArgumentException when the targets lack a participant
     */
    public OrdersWorkload(Targets targets, Http http, long seed, ProtocolMix mix, DataSet data) {
        this(targets, http, seed, mix, data, PREPARE_WITHIN);
    }

    /** As the public constructor, waiting at most {@code prepareWithin} for in-doubt branches before the run. */
    OrdersWorkload(Targets targets, Http http, long seed, ProtocolMix mix, DataSet data, Duration prepareWithin) {
        this.targets = targets;
        this.http = http;
        this.seed = seed;
        this.mix = mix;
        this.data = data;
        this.prepareWithin = prepareWithin;
        this.participants = new Participants(targets, http);
    }

    @Override
    public String name() {
        return "orders";
    }

    /**
     * Seeds the data set (idempotent: only what is missing or below the bench's levels), waits up to 30 s until no
     * participant holds a branch in doubt, remembers each participant's newest branches, and takes the stock of the
     * data set's SKUs and the accounts of its customers.
     *
     * @throws IllegalStateException when seeding fails, a branch stays in doubt or a participant does not answer
     */
    @Override
    public void prepare() {
        Seeder.Spec levels = Seeder.Spec.defaults();
        new Seeder(targets, http).seed(new Seeder.Spec(data.customers().size(), data.skus().size(), levels.stock(),
                levels.balance()));
        Map<String, List<String>> inDoubt = awaitNothingInDoubt(Deadline.after(prepareWithin));
        if (!inDoubt.isEmpty()) {
            throw new IllegalStateException("branches still in doubt (or participants not answering) after "
                    + prepareWithin + ": " + inDoubt + "; a run needs a settled cluster: restart the coordinators "
                    + "or wait for recovery");
        }
        for (String participant : participants.names()) {
            Set<String> xids = new HashSet<>();
            participants.newest(participant, BEFORE_RUN).forEach(b -> xids.add(b.xid()));
            before.put(participant, xids);
        }
        stockAtStart = participants.stock(data.skus());
        accountsAtStart = participants.accounts(data.customers());
    }

    private Map<String, List<String>> awaitNothingInDoubt(Deadline deadline) {
        Map<String, List<String>> last = new LinkedHashMap<>();
        deadline.poll(() -> {
            last.clear();
            last.putAll(participants.inDoubt());
            return last.isEmpty() ? Boolean.TRUE : null;
        });
        return last;
    }

    /** Orders until {@code running} turns false; never throws. */
    @Override
    public void client(String process, HistoryRecorder history, BooleanSupplier running) {
        Random random = Clients.random(seed, process);
        Clients.loop(running, () -> order(process, history, random));
    }

    /** One order, recorded as {@code order}. */
    Outcome order(String process, HistoryRecorder history, Random random) {
        String key = keyPrefix + process + "-" + placed.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", data.customers().get(random.nextInt(data.customers().size())));
        body.put("sku", data.skus().get(random.nextInt(data.skus().size())));
        body.put("quantity", 1 + random.nextInt(3));
        body.put("protocol", mix.pick(random));
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.put("idempotencyKey", key);
        return Clients.perform(history, process, "order", null, request, () -> {
            Outcome outcome = outcome(http.post(targets.url("order") + "/orders", body,
                    Map.of(IDEMPOTENCY_KEY, key)));
            if (outcome instanceof Outcome.Info info && xid(info.value()) == null) {
                unlinked.add(new Unlinked(key, body));
            }
            return outcome;
        });
    }

    /** How an answer to {@code POST /orders} goes into the history. */
    static Outcome outcome(Http.Response r) {
        return Answers.outcome(r, 201, refused -> false);
    }

    private static String xid(Object value) {
        return value instanceof JsonNode json && json.hasNonNull("xid") ? json.path("xid").asText() : null;
    }

    /**
     * Waits up to {@code settle} for the run to settle and returns an {@link OrdersChecker} of the run's
     * transactions: see {@link #snapshot(Duration)}.
     *
     * @throws IllegalStateException when a participant cannot be read
     */
    @Override
    public List<Checker> checkers(Duration settle) {
        return List.of(new OrdersChecker(snapshot(settle)));
    }

    /**
     * Within {@code settle}: sends every order of unknown outcome and unknown xid again (same body and key) to learn
     * its xid, then waits until no participant holds a branch in doubt; then (whatever is still in doubt) lists each
     * participant's branches made since {@link #prepare()}, and takes the stock and the accounts again.
     *
     * @throws IllegalStateException when a participant cannot be read, or more branches were made than one listing
     *         holds
     */
    OrdersSnapshot snapshot(Duration settle) {
        if (stockAtStart == null) {
            throw new IllegalStateException("prepare() first: the run has no baseline");
        }
        Deadline deadline = Deadline.after(settle);
        Map<String, String> xids = resend(deadline);
        awaitNothingInDoubt(deadline);
        int limit = (int) Math.min(Participants.MAX_LIST, placed.get() + BEFORE_RUN);
        Map<String, List<Participants.Branch>> run = new LinkedHashMap<>();
        for (String participant : participants.names()) {
            List<Participants.Branch> newest = participants.newest(participant, limit);
            List<Participants.Branch> since = Participants.since(newest, before.get(participant));
            if (since.size() == newest.size() && newest.size() == limit) {
                throw new IllegalStateException(participant + " lists " + limit + " branches newer than the run's "
                        + "start, more than one listing holds: the run's transactions cannot all be read");
            }
            run.put(participant, since);
        }
        return new OrdersSnapshot(participants.names(), Participants.transactions(run), stockAtStart,
                participants.stock(data.skus()), accountsAtStart, participants.accounts(data.customers()), xids);
    }

    /** Sends the unlinked orders again until each answers its xid or the deadline passes; key to xid. */
    private Map<String, String> resend(Deadline deadline) {
        List<Unlinked> orders = new ArrayList<>(unlinked);
        if (orders.isEmpty()) {
            return Map.of();
        }
        ExecutorService senders = Executors.newFixedThreadPool(Math.min(RESENDERS, orders.size()), r -> {
            Thread t = new Thread(r, "chaos-order-resend");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<String>> tasks = orders.stream().<Callable<String>>map(o -> () -> deadline.poll(() ->
                    resend(o))).toList();
            List<Future<String>> answers = senders.invokeAll(tasks);
            Map<String, String> xids = new LinkedHashMap<>();
            for (int i = 0; i < orders.size(); i++) {
                String xid = answers.get(i).get();
                if (xid != null && !xid.isEmpty()) {
                    xids.put(orders.get(i).key(), xid);
                }
            }
            return xids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending an order again failed", e.getCause());
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * One attempt: the xid when the answer names it (201 or 202), empty when the service refuses the request for
     * good (a 4xx other than 409: nothing to learn), null to try again (409 while the first is still in flight, 5xx,
     * no answer).
     */
    private String resend(Unlinked order) {
        Http.Response r = http.post(targets.url("order") + "/orders", order.body(), Map.of(IDEMPOTENCY_KEY,
                order.key()));
        if (r.status() == 201 || r.status() == 202) {
            String xid = xid(Answers.value(r));
            return xid == null ? "" : xid;
        }
        return Answers.refusedAsInvalid(r) ? "" : null;
    }
}
