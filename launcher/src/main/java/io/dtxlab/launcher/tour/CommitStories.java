package io.dtxlab.launcher.tour;

import static io.dtxlab.launcher.tour.Check.above;
import static io.dtxlab.launcher.tour.Check.has;
import static io.dtxlab.launcher.tour.Check.is;
import static io.dtxlab.launcher.tour.Check.isNot;
import static io.dtxlab.launcher.tour.Check.number;
import static io.dtxlab.launcher.tour.Check.present;
import static io.dtxlab.launcher.tour.Check.some;
import static io.dtxlab.launcher.tour.Check.status;
import static io.dtxlab.launcher.tour.Step.json;
import static io.dtxlab.launcher.tour.Step.step;
import static io.dtxlab.launcher.tour.Story.story;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The README's atomic-commitment stories: "Two-phase commit", "The blocking story", "Three-phase commit beside 2PC"
 * (Story 1 and Story 2), "Coordinator failover (Paxos)" and "Saga and TCC beside 2PC". Each orders with a customer and a SKU of its own
 * ({@code ${fresh}}), so a story never depends on what the cluster did before.
 */
final class CommitStories {

    /** How long a node may take to do what a story waits for (a 3PC timeout is 10 s; a restart comes first). */
    private static final Duration SOON = Duration.ofSeconds(60);

    private CommitStories() {
    }

    static List<Story> all() {
        return List.of(twoPhaseCommit(), twoPhaseReject(), twoPhaseBlocking(), threePhaseNonBlocking(),
                threePhasePartition(), paxosFailover(), sagaCompensation());
    }

    static Story twoPhaseCommit() {
        return story("2pc-commit", "A 2PC order commits on every participant and costs 12 messages (4n for n = 3)")
                .steps(customerWith("100.00"), skuOf("2.50", 10), leader(),
                        step("An order that commits: 201, CONFIRMED, 12 messages (4n for n = 3 participants)")
                                .post("order", "/orders", order(2, "2PC"))
                                .expect(status(201), is("/outcome", "CONFIRMED"), number("/messages", "12"))
                                .keep("xid", "/xid"),
                        step("Its transaction on the leader: decision COMMIT; END is logged once every participant "
                                + "acknowledged, off the client's path")
                                .get("${leader}", "/transactions/${xid}")
                                .expect(is("/decision", "COMMIT"), is("/state", "ENDED"), number("/messages", "12"))
                                .until(SOON),
                        step("Inventory sold 2; nothing is left reserved")
                                .get("inventory", "/stock/${fresh}")
                                .expect(number("/sold", "2"), number("/reserved", "0"), number("/available", "8")),
                        step("Payment charged 2 x 2.50; nothing is left held")
                                .get("payment", "/accounts/${fresh}")
                                .expect(number("/charged", "5.00"), number("/held", "0"), number("/balance", "95.00")));
    }

    static Story twoPhaseReject() {
        return story("2pc-reject", "A NO vote aborts the 2PC transaction: every branch aborts and nothing is taken")
                .steps(customerWith("50.00"), skuOf("400.00", 3),
                        step("An order the customer cannot pay: 201, REJECTED, with who voted NO and why")
                                .post("order", "/orders", order(1, "2PC"))
                                .expect(status(201), is("/outcome", "REJECTED"), has("/reason", "payment voted NO"),
                                        has("/reason", "insufficient funds"))
                                .keep("xid", "/xid"),
                        branch("order", "ABORTED"), branch("inventory", "ABORTED"), branch("payment", "ABORTED"),
                        step("The stock is back on the shelf")
                                .get("inventory", "/stock/${fresh}")
                                .expect(number("/available", "3"), number("/reserved", "0"), number("/sold", "0")),
                        step("The money is untouched")
                                .get("payment", "/accounts/${fresh}")
                                .expect(number("/balance", "50.00"), number("/held", "0"), number("/charged", "0")));
    }

    static Story twoPhaseBlocking() {
        return story("2pc-blocking", "2PC blocks: the leader dies after the votes, before it decides, and the order "
                + "stays PENDING and in doubt until a coordinator recovers (then presumed abort)")
                .steps(customerWith("100.00"), skuOf("25.00", 10), leader(), other(),
                        step("Take away the majority's spare: crash a coordinator that does not lead (two left: "
                                + "still a majority)").crash("${other}"),
                        arm("${leader}", "coordinator.after-votes",
                                "The leader will crash after every vote is in, before it decides"),
                        step("An order: 202 Accepted, PENDING: the leader died mid-transaction, and one coordinator "
                                + "alone cannot lead")
                                .post("order", "/orders", order(2, "2PC"))
                                .expect(status(202), is("/outcome", "PENDING"))
                                .keep("xid", "/xid").keep("orderId", "/orderId"),
                        step("Inventory's branch is PREPARED and in doubt: it voted YES and may neither abort alone "
                                + "(the coordinator might have logged COMMIT) nor commit alone (another might have "
                                + "voted NO)")
                                .get("inventory", "/branches/${xid}")
                                .expect(is("/state", "PREPARED"), is("/inDoubt", "true")),
                        step("It keeps its reservation: other orders see 2 fewer available")
                                .get("inventory", "/stock/${fresh}")
                                .expect(number("/reserved", "2")),
                        step("Payment holds 2 x 25.00").get("payment", "/accounts/${fresh}")
                                .expect(number("/held", "50.00")),
                        step("The order is still PENDING: 2PC blocks").get("order", "/orders/${orderId}")
                                .expect(is("/status", "PENDING")),
                        step("Bring both coordinators back: a majority again, a leader is elected and finds BEGIN "
                                + "without a DECISION").restart("${other}", "${leader}"),
                        step("Presumed abort: the order is REJECTED")
                                .get("order", "/orders/${orderId}")
                                .expect(is("/status", "REJECTED"), has("/reason", "presumed abort"))
                                .until(SOON),
                        step("The reservation is released").get("inventory", "/stock/${fresh}")
                                .expect(number("/reserved", "0"), number("/available", "10")).until(SOON));
    }

    static Story threePhaseNonBlocking() {
        return story("3pc-nonblocking", "3PC does not block: the leader dies after pre-commit, and the participants "
                + "commit by timeout with no coordinator leading")
                .steps(customerWith("100.00"), skuOf("25.00", 10), leader(), other(),
                        step("Crash a coordinator that does not lead, so that no new leader can take over")
                                .crash("${other}"),
                        arm("${leader}", "coordinator.after-pre-commit",
                                "The leader will crash once every pre-commit is acknowledged, before it decides"),
                        step("A 3PC order, in the background (the order service answers once it gives up waiting "
                                + "for a coordinator)").post("order", "/orders", order(1, "3PC")).inBackground("order"),
                        step("Inventory pre-commits it, holding the reservation (its branch names our SKU)…")
                                .get("inventory", "/branches?state=PRE_COMMITTED")
                                .keep(Capture.keepFrom("xid", "", "/payload", "${fresh}", "/xid"))
                                .until(Duration.ofSeconds(30)),
                        step("The order's answer: 202, PENDING: the leader died")
                                .join("order")
                                .expect(status(202), is("/outcome", "PENDING"), is("/xid", "${xid}"))
                                .keep("orderId", "/orderId"),
                        step("…and about 10 s later (dtx.participant.three-phase-timeout), with no coordinator "
                                + "leading, it commits by timeout")
                                .get("payment", "/branches/${xid}")
                                .expect(is("/state", "COMMITTED"), has("/reason", "committed by timeout"))
                                .until(SOON),
                        branch("inventory", "COMMITTED").until(SOON), branch("order", "COMMITTED").until(SOON),
                        step("The order is CONFIRMED, although no coordinator ever decided")
                                .get("order", "/orders/${orderId}").expect(is("/status", "CONFIRMED")).until(SOON),
                        step("Bring both coordinators back").restart("${other}", "${leader}"),
                        step("The new leader's termination rule finds committed branches: COMMIT")
                                .get("${other}", "/transactions/${xid}")
                                .expect(is("/decision", "COMMIT"), has("/reason", "termination rule"))
                                .until(SOON));
    }

    static Story threePhasePartition() {
        return story("3pc-partition", "3PC under a partition: the coordinator aborts, a pre-committed participant cut "
                + "off from it commits by timeout, and the audit reports the mixed outcome")
                .steps(customerWith("100.00"), skuOf("2.50", 10), leader(),
                        step("Inventory's pre-commit ack will reach the leader 5 s late (past its 2 s timeout)")
                                .adminPost("${leader}", "/admin/faults", json("point", "reply:pre-commit",
                                        "action", "DELAY", "delayMs", 5000, "peer", "inventory", "times", 1))
                                .expect(status(200, 201)),
                        step("A 3PC order, in the background").post("order", "/orders", order(1, "3PC"))
                                .inBackground("order"),
                        step("Payment pre-commits it (its branch names our customer)…")
                                .get("payment", "/branches?state=PRE_COMMITTED")
                                .keep(Capture.keepFrom("xid", "", "/payload", "${fresh}", "/xid"))
                                .until(Duration.ofSeconds(30)),
                        step("…and at once is cut off from the leader")
                                .adminPut("payment", "/admin/partition", json("nodes", List.of("${leader}")))
                                .expect(status(200)),
                        step("The order's answer: REJECTED, the leader missed inventory's ack and aborted")
                                .join("order")
                                .expect(is("/outcome", "REJECTED"), has("/reason", "inventory"), is("/xid", "${xid}")),
                        step("Payment, cut off and pre-committed, commits by timeout 10 s later: the customer is "
                                + "charged for an order that was rejected")
                                .get("payment", "/branches/${xid}").expect(is("/state", "COMMITTED")).until(SOON),
                        branch("inventory", "ABORTED"), branch("order", "ABORTED"),
                        step("Heal the partition").adminDelete("payment", "/admin/partition").expect(status(200)),
                        step("The leader's audit reports the mixed outcome (the coordinator's resent abort is refused "
                                + "by payment: the branch is committed). It stays in the audit: someone has to "
                                + "repair it by hand")
                                .get("${leader}", "/audit")
                                .expect(is("/consistent", "false"), some("/mixedOutcomes", "/xid", "${xid}"))
                                .until(SOON));
    }

    static Story paxosFailover() {
        return story("paxos-failover", "The leader dies mid-transaction, once COMMIT is chosen: a new leader with a "
                + "higher epoch finishes the commit from the replicated log, and the order is CONFIRMED")
                .steps(customerWith("100.00"), skuOf("2.50", 10), leader(),
                        arm("${leader}", "coordinator.after-decision",
                                "The leader will crash once COMMIT is chosen by a majority, before any commit leaves"),
                        step("An order: the order service's request dies with the leader; it finds the new leader "
                                + "and sends the same xid again, which answers with the finished transaction")
                                .post("order", "/orders", order(1, "2PC"))
                                .expect(status(201), is("/outcome", "CONFIRMED"))
                                .keep("xid", "/xid").keep("orderId", "/orderId"),
                        step("A survivor").choose("survivor", (b, roster) -> JsonNodeFactory.instance.textNode(
                                Roster.next(roster.coordinators(), b.fill("${leader}")))),
                        step("About a second later: a new leader, with a higher ballot and epoch")
                                .get("${survivor}", "/cluster")
                                .expect(isNot("/leader", "${leader}"), above("/epoch", "${epoch}"))
                                .keep("newLeader", "/leader").until(SOON),
                        step("On the new leader, the transaction was recovered from the log: decision COMMIT was "
                                + "logged, so it sent the commits")
                                .get("${newLeader}", "/transactions/${xid}")
                                .expect(is("/decision", "COMMIT"), has("/timeline", "recovered from the log"))
                                .until(SOON),
                        branch("inventory", "COMMITTED").until(SOON), branch("payment", "COMMITTED").until(SOON),
                        step("The old leader comes back from its files and rejoins as a follower")
                                .restart("${leader}"),
                        step("It follows the new leader").get("${leader}", "/cluster")
                                .expect(is("/leader", "${newLeader}"), isNot("/role", "LEADER")).until(SOON));
    }

    /** The order of this story's customer for this story's SKU. */
    static Story sagaCompensation() {
        return story("saga-compensation", "A saga commits each step at once; when payment refuses its step, the "
                + "steps before it are compensated in reverse")
                .steps(customerWith("50.00"), skuOf("400.00", 3), leader(),
                        step("A saga the customer cannot pay: 201, REJECTED. Order and inventory applied their "
                                + "steps (2 messages each), payment refused its own (2 more), then inventory and "
                                + "order were compensated (2 each): 10 messages")
                                .post("order", "/orders", order(1, "SAGA"))
                                .expect(status(201), is("/outcome", "REJECTED"),
                                        has("/reason", "payment refused its step"),
                                        has("/reason", "insufficient funds"), number("/messages", "10"))
                                .keep("xid", "/xid").keep("orderId", "/orderId"),
                        step("Its transaction on the leader: decision ABORT, and ENDED once every compensation was "
                                + "acknowledged (compensations are retried without limit; meanwhile it shows "
                                + "COMPENSATING)")
                                .get("${leader}", "/transactions/${xid}")
                                .expect(is("/protocol", "SAGA"), is("/decision", "ABORT"), is("/state", "ENDED"))
                                .until(SOON),
                        branch("order", "COMPENSATED"), branch("inventory", "COMPENSATED"),
                        branch("payment", "ABORTED"),
                        step("The unit was sold and then given back: no isolation, so for a moment other orders saw "
                                + "it gone; now it is on the shelf again")
                                .get("inventory", "/stock/${fresh}")
                                .expect(number("/available", "3"), number("/reserved", "0"), number("/sold", "0")),
                        step("The money is untouched").get("payment", "/accounts/${fresh}")
                                .expect(number("/balance", "50.00"), number("/charged", "0")),
                        step("The order says why: REJECTED, compensated")
                                .get("order", "/orders/${orderId}")
                                .expect(is("/status", "REJECTED"), has("/reason", "compensated")));
    }

    private static Object order(int quantity, String protocol) {
        return json("customerId", "${fresh}", "sku", "${fresh}", "quantity", quantity, "protocol", protocol);
    }

    static Step customerWith(String deposit) {
        return step("A customer of this tour with " + deposit + " (a deposit to an unknown id opens the account)")
                .adminPut("payment", "/admin/accounts/${fresh}", json("deposit", new BigDecimal(deposit)))
                .expect(status(200, 201), number("/balance", deposit));
    }

    static Step skuOf(String unitPrice, int units) {
        return step("A SKU of this tour: " + units + " units at " + unitPrice)
                .adminPut("inventory", "/admin/stock/${fresh}", json("unitPrice", new BigDecimal(unitPrice),
                        "available", units))
                .expect(status(200, 201), number("/available", Integer.toString(units)));
    }

    static Step leader() {
        return step("Which coordinator leads (every coordinator's GET /cluster names the leader)")
                .get("coordinator-1", "/cluster").expect(present("/leader"))
                .keep("leader", "/leader").keep("epoch", "/epoch");
    }

    /** The README's {@code OTHER=coordinator-$(( ${LEADER#coordinator-} % 3 + 1 ))}. */
    private static Step other() {
        return step("A coordinator that does not lead").choose("other", (b, roster) ->
                JsonNodeFactory.instance.textNode(Roster.next(roster.coordinators(), b.fill("${leader}"))));
    }

    private static Step arm(String node, String point, String narration) {
        return step(narration)
                .adminPost(node, "/admin/faults", json("point", point, "action", "CRASH", "times", 1))
                .expect(status(200, 201));
    }

    private static Step branch(String participant, String state) {
        return step(participant + "'s branch: " + state).get(participant, "/branches/${xid}")
                .expect(is("/state", state));
    }
}
