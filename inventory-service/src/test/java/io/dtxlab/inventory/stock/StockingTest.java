package io.dtxlab.inventory.stock;

import static io.dtxlab.testsupport.Answer.assertInvalid;
import static io.dtxlab.testsupport.Answer.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.inventory.InventoryApplication;
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

/** Stocking over HTTP: create, restock, seed; the ledger behind `stocked`, and the audit that checks it. */
class StockingTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("inventory", InventoryApplication.class));

    @Test
    void aPutCreatesASkuAndTheNextRestocksItWithoutTouchingThePrice() {
        Answer created = put(admin(), "/admin/stock/PEN-1", "{\"unitPrice\": 1.5, \"available\": 10}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/stock/PEN-1");
        assertThat(created.body().path("unitPrice").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(created.body().path("available").asInt()).isEqualTo(10);
        assertThat(created.body().path("stocked").asLong()).isEqualTo(10);

        Answer restocked = put(admin(), "/admin/stock/PEN-1", "{\"available\": 5}");
        Answer samePrice = put(admin(), "/admin/stock/PEN-1", "{\"unitPrice\": 1.50, \"available\": 1}");

        assertThat(restocked.status()).isEqualTo(200);
        assertThat(samePrice.status()).isEqualTo(200);
        JsonNode pen = ServiceContract.json(node(), "/stock/PEN-1");
        assertThat(pen.path("available").asInt()).isEqualTo(16);
        assertThat(pen.path("stocked").asLong()).isEqualTo(16);
        assertThat(pen.path("unitPrice").decimalValue()).isEqualByComparingTo("1.50");
        assertAuditHolds();
    }

    @Test
    void aRestockAtAnotherPriceIsAConflictAndChangesNothing() {
        put(admin(), "/admin/stock/INK-1", "{\"unitPrice\": 3.00, \"available\": 4}");

        Answer refused = put(admin(), "/admin/stock/INK-1", "{\"unitPrice\": 3.10, \"available\": 4}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.body().path("detail").asString()).contains("3.00").contains("does not change the price");
        JsonNode ink = ServiceContract.json(node(), "/stock/INK-1");
        assertThat(ink.path("available").asInt()).isEqualTo(4);
        assertThat(ink.path("stocked").asLong()).isEqualTo(4);
    }

    @Test
    void invalidNumbersAreRefusedAsProblemsNamingTheField() {
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.00, \"available\": 2.5}"), "available");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.00, \"available\": \"3\"}"), "available");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.00, \"available\": -1}"), "available");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.00, \"available\": 0}"), "available");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.00, \"available\": 1000000001}"), "available");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 1.234, \"available\": 1}"), "unitPrice");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": \"1.00\", \"available\": 1}"), "unitPrice");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"unitPrice\": 0, \"available\": 1}"), "unitPrice");
        assertInvalid(put(admin(), "/admin/stock/CUP-1", "{\"available\": 1}"), "unitPrice");
        assertInvalid(put(admin(), "/admin/stock/CUP*1", "{\"unitPrice\": 1.00, \"available\": 1}"), "sku");
        assertInvalid(put(admin(), "/admin/stock/totals", "{\"unitPrice\": 1.00, \"available\": 1}"), "sku");
        assertInvalid(seed(List.of(Map.of("sku", "CUP-1", "unitPrice", 1, "available", 1),
                Map.of("sku", "CUP-2", "unitPrice", 1, "available", 1.5))), "items[1].available");
        assertInvalid(seed(List.of(Map.of("sku", "CUP-1", "unitPrice", 1, "available", 1),
                Map.of("sku", "CUP-1", "unitPrice", 1, "available", 2))), "items[1].sku");
        assertInvalid(seed(List.of()), "items");

        assertThat(node().http().get().uri("/stock/CUP-1").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void stockingNeedsTheAdminToken() {
        Answer anonymous = put(node().http(), "/admin/stock/MUG-1", "{\"unitPrice\": 1.00, \"available\": 1}");
        Answer cluster = put(node().internal(), "/admin/stock/MUG-1", "{\"unitPrice\": 1.00, \"available\": 1}");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
        assertThat(cluster.status()).isEqualTo(403);
        assertThat(node().http().get().uri("/stock/MUG-1").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void aSeedIsIdempotentAndNeverChangesAPrice() {
        put(admin(), "/admin/stock/BAG-1", "{\"unitPrice\": 9.00, \"available\": 2}");
        put(admin(), "/admin/stock/BAG-2", "{\"unitPrice\": 9.00, \"available\": 50}");
        List<Map<String, Object>> items = List.of(
                Map.of("sku", "BAG-1", "unitPrice", 8.00, "available", 20),   // restocked by 18, price kept
                Map.of("sku", "BAG-2", "unitPrice", 9.00, "available", 20),   // has enough
                Map.of("sku", "BAG-3", "unitPrice", 7.25, "available", 30));  // new

        Answer first = seed(items);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("created").asInt()).isEqualTo(1);
        assertThat(first.body().path("restocked").asInt()).isEqualTo(1);
        assertThat(first.body().path("unchanged").asInt()).isEqualTo(1);
        assertThat(first.body().path("unitsAdded").asLong()).isEqualTo(48);
        assertThat(first.body().path("priceDiffers").toString()).isEqualTo("[\"BAG-1\"]");
        JsonNode bag1 = ServiceContract.json(node(), "/stock/BAG-1");
        assertThat(bag1.path("available").asInt()).isEqualTo(20);
        assertThat(bag1.path("stocked").asLong()).isEqualTo(20);
        assertThat(bag1.path("unitPrice").decimalValue()).isEqualByComparingTo("9.00");
        assertThat(ServiceContract.json(node(), "/stock/BAG-3").path("unitPrice").decimalValue()).isEqualByComparingTo("7.25");

        Answer again = seed(items);

        assertThat(again.body().path("created").asInt()).isZero();
        assertThat(again.body().path("restocked").asInt()).isZero();
        assertThat(again.body().path("unchanged").asInt()).isEqualTo(3);
        assertThat(again.body().path("unitsAdded").asLong()).isZero();
        assertAuditHolds();
    }

    @Test
    void tenThousandSkusSeedInOneRequestAndTheAuditStaysSmallAndConsistentUnderOrders() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            items.add(Map.of("sku", "SKU-%05d".formatted(i), "unitPrice", 1.00, "available", 1000));
        }

        Answer seeded = seed(items);

        assertThat(seeded.status()).as(seeded.body().toString()).isEqualTo(200);
        assertThat(seeded.body().path("created").asInt()).isEqualTo(10_000);
        assertThat(seeded.body().path("unitsAdded").asLong()).isEqualTo(10_000_000L);
        JsonNode totals = ServiceContract.json(node(), "/stock/totals");
        assertThat(totals.path("skus").asLong()).isGreaterThanOrEqualTo(10_003);
        assertThat(totals.path("available").asLong() + totals.path("reserved").asLong() + totals.path("sold").asLong())
                .isEqualTo(totals.path("stocked").asLong());
        assertThat(ServiceContract.json(node(), "/stock").size()).isEqualTo(100);
        JsonNode page = ServiceContract.json(node(), "/stock?limit=10000");
        assertThat(page.size()).isEqualTo(10_000);
        assertThat(page.get(0).path("sku").asString()).isLessThan(page.get(1).path("sku").asString());
        assertThat(node().http().get().uri("/stock?limit=10001").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(400);

        // orders through the participant endpoints, as a coordinator sends them: one sold, one held in doubt
        assertThat(branch("tx-seed-1", "prepare", "SKU-00042", 3).path("reply").asString()).isEqualTo("VOTE_YES");
        branch("tx-seed-1", "commit", "SKU-00042", 3);
        assertThat(branch("tx-seed-2", "prepare", "SKU-00042", 2).path("reply").asString()).isEqualTo("VOTE_YES");
        JsonNode sku = ServiceContract.json(node(), "/stock/SKU-00042");
        assertThat(sku.path("available").asInt()).isEqualTo(995);
        assertThat(sku.path("reserved").asInt()).isEqualTo(2);
        assertThat(sku.path("sold").asInt()).isEqualTo(3);
        assertThat(sku.path("stocked").asLong()).isEqualTo(1000);

        JsonNode audit = assertAuditHolds();
        assertThat(audit.path("invariants").size()).isEqualTo(4);
        assertThat(audit.path("invariants").get(0).path("detail").asString()).contains("SKUs checked");

        branch("tx-seed-2", "abort", "SKU-00042", 2);
        assertThat(ServiceContract.json(node(), "/stock/SKU-00042").path("available").asInt()).isEqualTo(997);
        assertAuditHolds();
    }

    @Test
    void withoutAnIdempotencyKeyEveryRestockAddsItsUnits() {
        put(admin(), "/admin/stock/NIB-1", "{\"unitPrice\": 1.00, \"available\": 10}");

        put(admin(), "/admin/stock/NIB-1", "{\"available\": 5}");
        put(admin(), "/admin/stock/NIB-1", "{\"available\": 5}"); // a retry after a timeout, say

        assertThat(ServiceContract.json(node(), "/stock/NIB-1").path("stocked").asLong()).isEqualTo(20);
    }

    @Test
    void aRestockSentAgainWithItsIdempotencyKeyAddsItsUnitsOnceAndAnswersTheFirstAnswerAgain() {
        put(admin(), "/admin/stock/PAD-1", "{\"unitPrice\": 1.00, \"available\": 10}");
        String key = "\"" + UUID.randomUUID() + "\"";

        ResponseEntity<String> first = keyed("/admin/stock/PAD-1", key, "{\"available\": 5}");
        ResponseEntity<String> again = keyed("/admin/stock/PAD-1", key, "{ \"available\" : 5 }");

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(first.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ServiceContract.parse(again.getBody())).isEqualTo(ServiceContract.parse(first.getBody()));
        JsonNode pad = ServiceContract.json(node(), "/stock/PAD-1");
        assertThat(pad.path("available").asInt()).isEqualTo(15);
        assertThat(pad.path("stocked").asLong()).isEqualTo(15);
        assertAuditHolds();
    }

    @Test
    void aCreationSentAgainWithItsKeyAfterARestartAnswers201AgainAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        ResponseEntity<String> created = keyed("/admin/stock/TAPE-1", key, "{\"unitPrice\": 2.5, \"available\": 7}");
        cluster.cluster().crash("inventory"); // the key is on disk with the units, or neither is
        cluster.cluster().start("inventory");

        ResponseEntity<String> again = keyed("/admin/stock/TAPE-1", key, "{\"unitPrice\": 2.50, \"available\": 7}");

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.getHeaders().getLocation()).hasToString("/stock/TAPE-1");
        assertThat(ServiceContract.json(node(), "/stock/TAPE-1").path("stocked").asLong()).isEqualTo(7);
    }

    @Test
    void theSameKeyForAnotherStockingIs422AndAddsNothing() {
        put(admin(), "/admin/stock/CLIP-1", "{\"unitPrice\": 1.00, \"available\": 10}");
        put(admin(), "/admin/stock/CLIP-2", "{\"unitPrice\": 1.00, \"available\": 10}");
        String key = UUID.randomUUID().toString();
        keyed("/admin/stock/CLIP-1", key, "{\"available\": 5}");

        Answer otherUnits = Answer.of(keyed("/admin/stock/CLIP-1", key, "{\"available\": 6}"));
        Answer otherSku = Answer.of(keyed("/admin/stock/CLIP-2", key, "{\"available\": 5}"));

        for (Answer refused : List.of(otherUnits, otherSku)) {
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.body().path("detail").asString()).contains("was used with another request");
        }
        assertThat(ServiceContract.json(node(), "/stock/CLIP-1").path("stocked").asLong()).isEqualTo(15);
        assertThat(ServiceContract.json(node(), "/stock/CLIP-2").path("stocked").asLong()).isEqualTo(10);
    }

    @Test
    void aRefusedStockingStoresNoKeySoTheCorrectedRequestMayUseIt() {
        put(admin(), "/admin/stock/GLUE-1", "{\"unitPrice\": 3.00, \"available\": 4}");
        String key = UUID.randomUUID().toString();

        Answer refused = Answer.of(keyed("/admin/stock/GLUE-1", key, "{\"unitPrice\": 3.10, \"available\": 4}"));
        Answer malformedKey = Answer.of(keyed("/admin/stock/GLUE-1", "with space", "{\"available\": 4}"));
        ResponseEntity<String> corrected = keyed("/admin/stock/GLUE-1", key, "{\"unitPrice\": 3.00, \"available\": 4}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(malformedKey.status()).isEqualTo(400);
        assertThat(malformedKey.contentType()).isEqualTo("application/problem+json");
        assertThat(corrected.getStatusCode().value()).isEqualTo(200);
        assertThat(corrected.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(ServiceContract.json(node(), "/stock/GLUE-1").path("stocked").asLong()).isEqualTo(8);
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
        assertThat(names).contains("every SKU: available + reserved + sold = stocked (ledger)");
        return audit;
    }


    private static JsonNode branch(String xid, String step, String sku, int quantity) {
        ResponseEntity<String> reply = node().internal().post().uri("/internal/branches/" + xid + "/" + step)
                .body(Map.of("coordinator", "coordinator-1", "epoch", 1, "protocol", "2PC",
                        "payload", Map.of("sku", sku, "quantity", quantity)))
                .retrieve().toEntity(String.class);
        assertThat(reply.getStatusCode().is2xxSuccessful()).as(reply.getBody()).isTrue();
        return ServiceContract.parse(reply.getBody());
    }

    private static Answer seed(List<Map<String, Object>> items) {
        ResponseEntity<String> answer = admin().post().uri("/admin/stock/seed").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("items", items)).retrieve().toEntity(String.class);
        return Answer.of(answer);
    }

    private static RestClient admin() {
        return node().admin();
    }

    private static LabNode node() {
        return cluster.node("inventory");
    }
}
