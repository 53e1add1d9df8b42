package io.dtxlab.inventory.branch;

import static io.dtxlab.testsupport.Answer.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.contract.BranchBatch;
import io.dtxlab.contract.BranchBatchReply;
import io.dtxlab.contract.BranchMessage;
import io.dtxlab.contract.BranchReply;
import io.dtxlab.contract.CommitPaths;
import io.dtxlab.contract.ParticipantClient;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.testsupport.Answer;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch endpoint of a real participant (inventory) over HTTP: several transactions' messages in one request,
 * each answered in order exactly as if it had come alone; an invalid batch refused whole.
 */
class BranchBatchTest {

    /** The epoch of the coordinator that leads in these tests; every message carries it unless it is meant stale. */
    private static final long EPOCH = 7001;
    private static final AtomicInteger ids = new AtomicInteger();
    private static final JsonMapper json = JsonMapper.builder().build();

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("inventory", InventoryApplication.class));

    @Test
    void aMixedBatchIsAnsweredInOrderAsIfEachMessageCameAlone() {
        String a = xid(), b = xid(), c = xid(), d = xid();
        JsonNode before = ServiceContract.json(node(), "/stock/WIDGET");

        Answer answer = post(batch(
                message(a, "PREPARE", EPOCH, take("WIDGET", 2, "2.50")),
                message(b, "PREPARE", EPOCH, take("NOPE", 1, null)),
                message(c, "PREPARE", 1, take("WIDGET", 1, null)),
                message(a, "COMMIT", EPOCH, null),
                message(b, "COMMIT", EPOCH, null),
                message(d, "PREPARE", EPOCH, take("WIDGET", 1, "9.99"))));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        List<JsonNode> replies = list(answer.body().path("replies"));
        assertThat(replies).extracting(r -> r.path("xid").asString()).containsExactly(a, b, c, a, b, d);
        assertThat(replies).extracting(r -> r.path("reply").asString())
                .containsExactly("VOTE_YES", "VOTE_NO", "STALE", "ACK", "CONFLICT", "VOTE_NO");
        assertThat(replies).extracting(r -> r.path("state").asString(null))
                .containsExactly("PREPARED", "ABORTED", null, "COMMITTED", "ABORTED", "ABORTED");
        assertThat(replies).allSatisfy(r -> assertThat(r.path("participant").asString()).isEqualTo("inventory"));
        assertThat(replies.get(1).path("reason").asString()).contains("unknown SKU 'NOPE'");
        assertThat(replies.get(2).path("reason").asString()).contains("1").contains(String.valueOf(EPOCH));
        assertThat(replies.get(5).path("reason").asString()).contains("the price of WIDGET is 2.50");

        JsonNode after = ServiceContract.json(node(), "/stock/WIDGET");
        assertThat(after.path("sold").asInt()).isEqualTo(before.path("sold").asInt() + 2);
        assertThat(after.path("reserved").asInt()).isEqualTo(before.path("reserved").asInt());
        assertThat(branch(c).status()).as("a stale message leaves nothing behind").isEqualTo(404);
        assertThat(branch(a).body().path("state").asString()).isEqualTo("COMMITTED");
        assertThat(ServiceContract.json(node(), "/audit").path("holds").asBoolean()).isTrue();
    }

    @Test
    void aSagasLockingTryThatFindsTheUnitsHeldByAnotherIsBusyAndStoresNothingWhileAPrepareIsRefused() {
        String sku = "HELD-" + ids.incrementAndGet();
        assertThat(node().admin().put().uri("/admin/stock/{sku}", sku).contentType(MediaType.APPLICATION_JSON)
                .body("{\"unitPrice\":3.00,\"available\":1}").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(201);
        String holder = xid(), waiter = xid(), prepared = xid();

        Answer answer = post(batch(
                message(holder, "TRY", EPOCH, take(sku, 1, null), "SAGA"),
                message(waiter, "TRY", EPOCH, take(sku, 1, null), "SAGA"),
                message(prepared, "PREPARE", EPOCH, take(sku, 1, null)),
                message(holder, "CANCEL", EPOCH, null, "SAGA"),
                message(waiter, "TRY", EPOCH, take(sku, 1, null), "SAGA"),
                message(waiter, "CONFIRM", EPOCH, null, "SAGA")));

        List<JsonNode> replies = list(answer.body().path("replies"));
        // the unit is held pending by the first saga: the second saga's try is busy (nothing stored, so its retry is
        // a first try), a 2PC prepare is refused for good
        assertThat(replies).extracting(r -> r.path("reply").asString())
                .containsExactly("VOTE_YES", "BUSY", "VOTE_NO", "ACK", "VOTE_YES", "ACK");
        assertThat(replies).extracting(r -> r.path("state").asString(null))
                .containsExactly("PREPARED", null, "ABORTED", "ABORTED", "PREPARED", "COMMITTED");
        assertThat(replies.get(1).path("reason").asString())
                .isEqualTo("insufficient stock of " + sku + " for now: 0 available, 1 held by transactions that have "
                        + "not finished, 1 requested");
        assertThat(replies.get(2).path("reason").asString()).startsWith("insufficient stock of " + sku);
        JsonNode stock = ServiceContract.json(node(), "/stock/" + sku);
        assertThat(stock.path("available").asInt()).isZero();
        assertThat(stock.path("sold").asInt()).isEqualTo(1);
        assertThat(ServiceContract.json(node(), "/audit").path("holds").asBoolean()).isTrue();
    }

    @Test
    void anInvalidBatchIsRefusedWholeAndNothingIsHandled() {
        String valid = xid();
        JsonNode before = ServiceContract.json(node(), "/stock/GADGET");
        Map<String, Object> noCoordinator = new java.util.HashMap<>(message(xid(), "PREPARE", EPOCH,
                take("GADGET", 1, null)));
        noCoordinator.put("coordinator", "");

        Answer refused = post(batch(message(valid, "PREPARE", EPOCH, take("GADGET", 1, null)), noCoordinator));

        assertInvalid(refused, "messages[1].coordinator");
        assertThat(branch(valid).status()).isEqualTo(404);
        assertThat(ServiceContract.json(node(), "/stock/GADGET").path("reserved").asInt())
                .isEqualTo(before.path("reserved").asInt());

        assertInvalid(post(batch()), "messages");
        assertInvalid(post(batch(message("tx bad/id", "PREPARE", EPOCH, null))), "messages[0].xid");
        assertInvalid(post(batch(message(xid(), "PREPARE", EPOCH, null, "4PC"))), "messages[0].protocol");
        assertInvalid(post(batch(message(xid(), null, EPOCH, null))), "messages[0].command");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= BranchBatch.MAX; i++) {
            tooMany.add(message(xid(), "ABORT", EPOCH, null));
        }
        assertInvalid(post(Map.of("messages", tooMany)), "messages");
        Answer unknownCommand = post(batch(message(xid(), "FLY", EPOCH, null)));
        assertThat(unknownCommand.status()).isEqualTo(400);
        assertThat(unknownCommand.contentType()).isEqualTo("application/problem+json");
        assertThat(branch(tooMany.get(0).get("xid").toString()).status()).isEqualTo(404);
    }

    @Test
    void aMessageThatFailsAloneIsAFailedReplyAndTheOthersAreHandled() {
        String failing = xid(), other = xid();
        Answer armed = Answer.of(node().admin().post().uri("/admin/faults").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("point", "participant.decision-received", "action", "ERROR", "scope", failing,
                        "times", 1))
                .retrieve().toEntity(String.class));
        assertThat(armed.status()).as(armed.body().toString()).isBetween(200, 201);

        Answer answer = post(batch(
                message(failing, "PREPARE", EPOCH, take("WIDGET", 1, null)),
                message(failing, "COMMIT", EPOCH, null),
                message(other, "PREPARE", EPOCH, take("WIDGET", 1, null))));

        assertThat(answer.status()).isEqualTo(200);
        List<JsonNode> replies = list(answer.body().path("replies"));
        assertThat(replies.get(0).path("reply").asString()).isEqualTo("VOTE_YES");
        assertThat(replies.get(1).path("reply").asString(null)).as("no reply: it failed").isNull();
        assertThat(replies.get(1).path("reason").asString()).contains("participant.decision-received");
        assertThat(replies.get(2).path("reply").asString()).isEqualTo("VOTE_YES");
        assertThat(branch(failing).body().path("state").asString()).isEqualTo("PREPARED");

        // the coordinator resends it, as it resends a lost commit
        BranchBatchReply resent = client().send("inventory", new BranchBatch(List.of(
                typed(failing, BranchCommand.COMMIT), typed(other, BranchCommand.ABORT))), Duration.ofSeconds(5))
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(resent.replies()).extracting(BranchReply::reply).containsExactly(Reply.ACK, Reply.ACK);
        assertThat(resent.replies()).extracting(BranchReply::state)
                .containsExactly(BranchState.COMMITTED, BranchState.ABORTED);
    }

    @Test
    void theTypedClientSeesTheSinglePathsRefusalAsAReply() {
        String xid = xid();
        BranchMessage stale = new BranchMessage(xid, BranchCommand.PREPARE, "coordinator-9", 1, "2PC",
                json.valueToTree(take("WIDGET", 1, null)), null);

        BranchReply reply = client().send("inventory", stale, Duration.ofSeconds(5))
                .orTimeout(10, TimeUnit.SECONDS).join();
        Answer raw = Answer.of(node().internal().post().uri(CommitPaths.branch(xid, BranchCommand.PREPARE, "2PC"))
                .contentType(MediaType.APPLICATION_JSON).body(stale.body()).retrieve().toEntity(String.class));

        assertThat(reply.reply()).isEqualTo(Reply.STALE);
        assertThat(reply.isRefusal()).isTrue();
        assertThat(reply.participant()).isEqualTo("inventory");
        assertThat(raw.status()).isEqualTo(409);
        assertThat(raw.contentType()).isEqualTo("application/problem+json");
        assertThat(raw.body().path("reply").asString()).isEqualTo("STALE");
        assertThat(client().state("inventory", xid)).contains(BranchState.ABORTED); // never heard of it: 404
    }

    @Test
    void theInDoubtGaugeCountsTheBranchesThatWait() {
        String prepared = xid(), canCommitted = xid();
        double before = inDoubt();

        post(batch(message(prepared, "PREPARE", EPOCH, take("WIDGET", 1, null)),
                message(canCommitted, "CAN_COMMIT", EPOCH, take("WIDGET", 1, null), "3PC")));
        double waiting = inDoubt();
        post(batch(message(prepared, "ABORT", EPOCH, null), message(canCommitted, "ABORT", EPOCH, null, "3PC")));

        assertThat(waiting).isEqualTo(before + 2);
        assertThat(inDoubt()).isEqualTo(before);
        assertThat(list(ServiceContract.json(node(), "/branches?state=PREPARED")))
                .extracting(b -> b.path("xid").asString()).doesNotContain(prepared);
    }

    @Test
    void theBatchNeedsTheClusterToken() {
        Answer anonymous = Answer.of(node().http().post().uri(CommitPaths.BATCH).contentType(MediaType.APPLICATION_JSON)
                .body(batch(message(xid(), "ABORT", EPOCH, null))).retrieve().toEntity(String.class));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
    }

    /** The {@code dtx_branches_in_doubt} gauge, as Prometheus reads it. */
    private static double inDoubt() {
        String metrics = node().http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        return metrics.lines().filter(l -> l.startsWith("dtx_branches_in_doubt"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static BranchMessage typed(String xid, BranchCommand command) {
        return new BranchMessage(xid, command, "coordinator-1", EPOCH, "2PC", null, null);
    }

    private static ParticipantClient client() {
        return new ParticipantClient(node().bean(ClusterClient.class));
    }

    private static Answer post(Object body) {
        return Answer.of(node().internal().post().uri(CommitPaths.BATCH).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(String.class));
    }

    private static Answer branch(String xid) {
        return Answer.of(node().http().get().uri(CommitPaths.branchState(xid)).retrieve().toEntity(String.class));
    }

    @SafeVarargs
    private static Map<String, Object> batch(Map<String, Object>... messages) {
        return Map.of("messages", List.of(messages));
    }

    private static Map<String, Object> message(String xid, String command, long epoch, Map<String, Object> payload) {
        return message(xid, command, epoch, payload, "2PC");
    }

    private static Map<String, Object> message(String xid, String command, long epoch, Map<String, Object> payload,
            String protocol) {
        Map<String, Object> message = new java.util.HashMap<>();
        message.put("xid", xid);
        message.put("command", command);
        message.put("coordinator", "coordinator-1");
        message.put("epoch", epoch);
        message.put("protocol", protocol);
        message.put("payload", payload);
        return message;
    }

    private static Map<String, Object> take(String sku, int quantity, String unitPrice) {
        Map<String, Object> take = new java.util.HashMap<>();
        take.put("sku", sku);
        take.put("quantity", quantity);
        if (unitPrice != null) {
            take.put("unitPrice", new java.math.BigDecimal(unitPrice));
        }
        return take;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static String xid() {
        return "tx-batch-" + ids.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    private static LabNode node() {
        return cluster.node("inventory");
    }
}
