package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.OrdersSnapshot;
import io.dtxlab.chaos.check.OrdersSnapshot.Account;
import io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome;
import io.dtxlab.chaos.check.OrdersSnapshot.Charge;
import io.dtxlab.chaos.check.OrdersSnapshot.Stock;
import io.dtxlab.chaos.check.OrdersSnapshot.StockMove;
import io.dtxlab.chaos.check.OrdersSnapshot.Transaction;
import io.dtxlab.chaos.history.JsonLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The order, inventory and payment participants as the orders workload reads them: their branches
 * (participant-kit's {@code GET /branches}), the stock ({@code GET /stock/{sku}}) and the accounts
 * ({@code GET /accounts/{id}}).
 */
final class Participants {

    /** The branch states that wait for a decision (participant-kit's {@code BranchState}). */
    static final List<String> IN_DOUBT_STATES = List.of("VOTED", "PREPARED", "PRE_COMMITTED");
    /** The most branches one {@code GET /branches} lists. */
    static final int MAX_LIST = 100_000;
    static final String INVENTORY = "inventory";
    static final String PAYMENT = "payment";
    static final String ORDER = "order";

    /**
     * A branch as {@code GET /branches} shows it ({@code BranchView}); what the snapshot needs of it.
     *
     * @param payload the branch's payload, itself JSON in a string: inventory {@code sku}, {@code quantity}; payment
     *        {@code customerId}, {@code amount}, {@code orderId}; order {@code orderId} and the request
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Branch(String xid, String participant, String protocol, String state, String payload) {
    }

    private final Targets targets;
    private final Http http;
    private final List<String> participants;

    Participants(Targets targets, Http http) {
        this.targets = targets;
        this.http = http;
        this.participants = OrdersSnapshot.PARTICIPANTS;
        participants.forEach(targets::url);
    }

    List<String> names() {
        return participants;
    }

    /**
     * Every participant's branches waiting for a decision, by participant; a participant that does not answer is
     * listed with the answer instead of xids ({@code unreachable: ...}). Empty when nothing is in doubt.
     */
    Map<String, List<String>> inDoubt() {
        Map<String, List<String>> found = new TreeMap<>();
        for (String participant : participants) {
            for (String state : IN_DOUBT_STATES) {
                Http.Response r = http.get(targets.url(participant) + "/branches?state=" + state + "&limit=20");
                if (!r.ok()) {
                    found.computeIfAbsent(participant, p -> new ArrayList<>()).add("unreachable: "
                            + Answers.error(r));
                    break;
                }
                for (JsonNode b : Answers.json(r)) {
                    found.computeIfAbsent(participant, p -> new ArrayList<>()).add(b.path("xid").asText() + " "
                            + state);
                }
            }
        }
        return found;
    }

    /**
     * A participant's most recently updated branches, newest first.
     *
     * @param limit at most this many, 1 to {@value #MAX_LIST}
     * @throws IllegalStateException with the answer when the participant does not answer 200
     */
    List<Branch> newest(String participant, int limit) {
        Http.Response r = http.get(targets.url(participant) + "/branches?limit=" + limit);
        if (!r.ok()) {
            throw new IllegalStateException("cannot list the branches of " + participant + ": " + Answers.error(r));
        }
        List<Branch> branches = new ArrayList<>();
        Answers.json(r).forEach(b -> branches.add(JsonLines.convert(b, Branch.class)));
        return branches;
    }

    /**
     * The branches a run made: those newer than every branch in {@code before}, a participant's branches taken before
     * the run while none was in doubt. A branch ends once and then never changes, and the list is ordered by last
     * change, so the run's branches all come before the newest branch of {@code before}.
     *
     * @param newestFirst the participant's branches after the run, newest first
     * @param before xids of the participant's newest branches before the run (all final)
     * @return the run's branches, newest first
     */
    static List<Branch> since(List<Branch> newestFirst, Set<String> before) {
        List<Branch> run = new ArrayList<>();
        for (Branch b : newestFirst) {
            if (before.contains(b.xid())) {
                break;
            }
            run.add(b);
        }
        return run;
    }

    /**
     * The global transactions the branches make, one per xid (in the order first seen): each participant's outcome,
     * the protocol, the order's id, and the stock move and charge from the inventory's and payment's payloads.
     *
     * @param byParticipant each participant's branches
     * @throws IllegalArgumentException when a branch has a state or protocol the snapshot does not know, naming it
     */
    static List<Transaction> transactions(Map<String, List<Branch>> byParticipant) {
        Map<String, Map<String, Branch>> byXid = new LinkedHashMap<>();
        byParticipant.forEach((participant, branches) -> branches.forEach(b ->
                byXid.computeIfAbsent(b.xid(), x -> new LinkedHashMap<>()).put(participant, b)));
        List<Transaction> transactions = new ArrayList<>();
        byXid.forEach((xid, branches) -> {
            Map<String, BranchOutcome> outcomes = new LinkedHashMap<>();
            branches.forEach((participant, b) -> outcomes.put(participant, BranchOutcome.of(b.state())));
            Branch any = branches.values().iterator().next();
            JsonNode stock = payload(branches.get(INVENTORY));
            JsonNode charge = payload(branches.get(PAYMENT));
            JsonNode order = payload(branches.get(ORDER));
            String orderId = order.path("orderId").asText(charge.path("orderId").asText(null));
            transactions.add(new Transaction(xid, orderId, any.protocol(), outcomes,
                    stock.hasNonNull("sku") ? new StockMove(stock.path("sku").asText(), stock.path("quantity").asInt())
                            : null,
                    charge.hasNonNull("customerId") ? new Charge(charge.path("customerId").asText(),
                            charge.path("amount").decimalValue()) : null));
        });
        return transactions;
    }

    private static JsonNode payload(Branch branch) {
        if (branch == null || branch.payload() == null || branch.payload().isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode payload = Answers.json(branch.payload());
        if (payload.isMissingNode()) {
            throw new IllegalArgumentException("the payload of " + branch.participant() + "'s branch of "
                    + branch.xid() + " is not JSON: " + branch.payload());
        }
        return payload;
    }

    /**
     * Each SKU's stock ({@code GET /stock/{sku}} on inventory); an unknown SKU (404) is left out.
     *
     * @throws IllegalStateException when inventory answers anything else for one, naming it
     */
    Map<String, Stock> stock(List<String> skus) {
        return each(INVENTORY, "/stock/", skus, s -> new Stock(s.path("available").asLong(),
                s.path("reserved").asLong()));
    }

    /**
     * Each customer's account ({@code GET /accounts/{id}} on payment); an unknown customer (404) is left out.
     *
     * @throws IllegalStateException when payment answers anything else for one, naming it
     */
    Map<String, Account> accounts(List<String> customers) {
        return each(PAYMENT, "/accounts/", customers, a -> new Account(a.path("balance").decimalValue(),
                a.path("held").decimalValue()));
    }

    private <T> Map<String, T> each(String participant, String path, List<String> ids, Function<JsonNode, T> read) {
        Map<String, T> found = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Http.Response r = http.get(targets.url(participant) + path + id);
            if (r.status() == 404) {
                continue;
            }
            if (!r.ok()) {
                throw new IllegalStateException("cannot read " + path + id + " on " + participant + ": "
                        + Answers.error(r));
            }
            found.put(id, read.apply(Answers.json(r)));
        }
        return found;
    }
}
