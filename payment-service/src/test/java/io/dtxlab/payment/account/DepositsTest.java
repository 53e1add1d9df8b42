package io.dtxlab.payment.account;

import static io.dtxlab.testsupport.Answer.assertInvalid;
import static io.dtxlab.testsupport.Answer.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.payment.PaymentApplication;
import io.dtxlab.testsupport.Answer;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Deposits over HTTP: open, top up, seed; the ledger behind `deposited`, and the audit that checks it. */
class DepositsTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("payment", PaymentApplication.class));

    @Test
    void theDemoAccountsOpenTheLedger() {
        JsonNode alice = ServiceContract.json(node(), "/accounts/alice");
        JsonNode carol = ServiceContract.json(node(), "/accounts/carol");

        assertThat(alice.path("deposited").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(carol.path("deposited").decimalValue()).isEqualByComparingTo("0");
        assertAuditHolds();
    }

    @Test
    void aPutOpensAnAccountAndTheNextTopsItUp() {
        Answer opened = put(admin(), "/admin/accounts/dora", "{\"deposit\": 100.5}");

        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.location()).isEqualTo("/accounts/dora");
        assertThat(opened.body().path("balance").decimalValue()).isEqualByComparingTo("100.50");
        assertThat(opened.body().path("deposited").decimalValue()).isEqualByComparingTo("100.50");

        Answer topUp = put(admin(), "/admin/accounts/dora", "{\"deposit\": 20}");

        assertThat(topUp.status()).isEqualTo(200);
        JsonNode dora = ServiceContract.json(node(), "/accounts/dora");
        assertThat(dora.path("balance").decimalValue()).isEqualByComparingTo("120.50");
        assertThat(dora.path("deposited").decimalValue()).isEqualByComparingTo("120.50");
        assertAuditHolds();
    }

    @Test
    void invalidDepositsAreRefusedAsProblemsNamingTheField() {
        assertInvalid(put(admin(), "/admin/accounts/erin", "{\"deposit\": \"100\"}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin", "{\"deposit\": -1}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin", "{\"deposit\": 0}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin", "{\"deposit\": 1.001}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin", "{\"deposit\": 1000000000.01}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin", "{}"), "deposit");
        assertInvalid(put(admin(), "/admin/accounts/erin*x", "{\"deposit\": 1}"), "id");
        assertInvalid(put(admin(), "/admin/accounts/" + "e".repeat(65), "{\"deposit\": 1}"), "id");
        assertInvalid(put(admin(), "/admin/accounts/totals", "{\"deposit\": 1}"), "id");
        assertInvalid(seed(List.of(Map.of("id", "erin", "balance", 1), Map.of("id", "fred", "balance", "2"))),
                "accounts[1].balance");
        assertInvalid(seed(List.of(Map.of("id", "erin", "balance", 1), Map.of("id", "erin", "balance", 2))),
                "accounts[1].id");
        assertInvalid(seed(List.of()), "accounts");

        assertThat(node().http().get().uri("/accounts/erin").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void depositsNeedTheAdminToken() {
        Answer anonymous = put(node().http(), "/admin/accounts/gina", "{\"deposit\": 1}");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
        assertThat(node().http().get().uri("/accounts/gina").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void aSeedIsIdempotent() {
        put(admin(), "/admin/accounts/hank", "{\"deposit\": 10.00}");
        put(admin(), "/admin/accounts/ines", "{\"deposit\": 500.00}");
        List<Map<String, Object>> accounts = List.of(
                Map.of("id", "hank", "balance", 100.25),   // topped up by 90.25
                Map.of("id", "ines", "balance", 100),      // has enough
                Map.of("id", "jack", "balance", 42));      // new

        Answer first = seed(accounts);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("created").asInt()).isEqualTo(1);
        assertThat(first.body().path("toppedUp").asInt()).isEqualTo(1);
        assertThat(first.body().path("unchanged").asInt()).isEqualTo(1);
        assertThat(first.body().path("amountAdded").decimalValue()).isEqualByComparingTo("132.25");
        assertThat(ServiceContract.json(node(), "/accounts/hank").path("balance").decimalValue()).isEqualByComparingTo("100.25");
        assertThat(ServiceContract.json(node(), "/accounts/hank").path("deposited").decimalValue()).isEqualByComparingTo("100.25");

        Answer again = seed(accounts);

        assertThat(again.body().path("created").asInt()).isZero();
        assertThat(again.body().path("toppedUp").asInt()).isZero();
        assertThat(again.body().path("unchanged").asInt()).isEqualTo(3);
        assertThat(again.body().path("amountAdded").decimalValue()).isEqualByComparingTo("0");
        assertAuditHolds();
    }

    @Test
    void tenThousandAccountsSeedInOneRequestAndTheAuditStaysConsistentUnderOrders() {
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            accounts.add(Map.of("id", "cust-%05d".formatted(i), "balance", 1000.00));
        }

        Answer seeded = seed(accounts);

        assertThat(seeded.status()).as(seeded.body().toString()).isEqualTo(200);
        assertThat(seeded.body().path("created").asInt()).isEqualTo(10_000);
        assertThat(seeded.body().path("amountAdded").decimalValue()).isEqualByComparingTo("10000000.00");
        JsonNode totals = ServiceContract.json(node(), "/accounts/totals");
        assertThat(totals.path("accounts").asLong()).isGreaterThanOrEqualTo(10_003);
        assertThat(totals.path("balance").decimalValue().add(totals.path("held").decimalValue())
                .add(totals.path("charged").decimalValue())).isEqualByComparingTo(totals.path("deposited").decimalValue());
        assertThat(ServiceContract.json(node(), "/accounts").size()).isEqualTo(100);
        assertThat(ServiceContract.json(node(), "/accounts?limit=10000").size()).isEqualTo(10_000);
        assertThat(node().http().get().uri("/accounts?limit=0").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(400);

        // orders through the participant endpoints, as a coordinator sends them: one charged, one held in doubt
        assertThat(branch("tx-seed-1", "prepare", "cust-00042", "30.00").path("reply").asString()).isEqualTo("VOTE_YES");
        branch("tx-seed-1", "commit", "cust-00042", "30.00");
        assertThat(branch("tx-seed-2", "prepare", "cust-00042", "20.00").path("reply").asString()).isEqualTo("VOTE_YES");
        JsonNode account = ServiceContract.json(node(), "/accounts/cust-00042");
        assertThat(account.path("balance").decimalValue()).isEqualByComparingTo("950.00");
        assertThat(account.path("held").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(account.path("charged").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(account.path("deposited").decimalValue()).isEqualByComparingTo("1000.00");

        JsonNode audit = assertAuditHolds();
        assertThat(audit.path("invariants").size()).isEqualTo(4);
        assertThat(audit.path("invariants").get(0).path("detail").asString()).contains("accounts checked");

        branch("tx-seed-2", "abort", "cust-00042", "20.00");
        assertThat(ServiceContract.json(node(), "/accounts/cust-00042").path("balance").decimalValue())
                .isEqualByComparingTo("970.00");
        assertAuditHolds();
    }

    @Test
    void aDepositSentAgainWithItsIdempotencyKeyIsPaidInOnceAndAnswersTheFirstAnswerAgain() {
        put(admin(), "/admin/accounts/faye", "{\"deposit\": 10}");
        String key = "\"" + UUID.randomUUID() + "\"";

        ResponseEntity<String> first = keyed("/admin/accounts/faye", key, "{\"deposit\": 5}");
        ResponseEntity<String> again = keyed("/admin/accounts/faye", key, "{\"deposit\": 5.00}");
        Answer another = Answer.of(keyed("/admin/accounts/faye", key, "{\"deposit\": 6}"));

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ServiceContract.parse(again.getBody())).isEqualTo(ServiceContract.parse(first.getBody()));
        assertThat(another.status()).isEqualTo(422);
        assertThat(another.contentType()).isEqualTo("application/problem+json");
        JsonNode faye = ServiceContract.json(node(), "/accounts/faye");
        assertThat(faye.path("balance").decimalValue()).isEqualByComparingTo("15.00");
        assertThat(faye.path("deposited").decimalValue()).isEqualByComparingTo("15.00");
        assertAuditHolds();
    }

    @Test
    void withoutAnIdempotencyKeyEveryDepositIsPaidIn() {
        put(admin(), "/admin/accounts/gail", "{\"deposit\": 10}");
        put(admin(), "/admin/accounts/gail", "{\"deposit\": 10}"); // a retry after a timeout, say

        assertThat(ServiceContract.json(node(), "/accounts/gail").path("deposited").decimalValue())
                .isEqualByComparingTo("20.00");
    }

    private static ResponseEntity<String> keyed(String path, String key, String json) {
        return admin().put().uri(path).header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .body(json).retrieve().toEntity(String.class);
    }

    private static JsonNode assertAuditHolds() {
        JsonNode audit = ServiceContract.json(node(), "/audit");
        assertThat(audit.path("holds").asBoolean()).as(audit.toString()).isTrue();
        List<String> names = new ArrayList<>();
        audit.path("invariants").forEach(i -> names.add(i.path("name").asString()));
        assertThat(names).contains("every account: balance + held + charged = deposited (ledger)");
        return audit;
    }


    private static JsonNode branch(String xid, String step, String customer, String amount) {
        ResponseEntity<String> reply = node().internal().post().uri("/internal/branches/" + xid + "/" + step)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"coordinator\":\"coordinator-1\",\"epoch\":1,\"protocol\":\"2PC\",\"payload\":{\"customerId\":\""
                        + customer + "\",\"amount\":" + amount + ",\"orderId\":\"ord-" + xid + "\"}}")
                .retrieve().toEntity(String.class);
        assertThat(reply.getStatusCode().is2xxSuccessful()).as(reply.getBody()).isTrue();
        return ServiceContract.parse(reply.getBody());
    }

    private static Answer seed(List<Map<String, Object>> accounts) {
        return Answer.of(admin().post().uri("/admin/accounts/seed").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("accounts", accounts)).retrieve().toEntity(String.class));
    }

    private static RestClient admin() {
        return node().admin();
    }

    private static LabNode node() {
        return cluster.node("payment");
    }
}
