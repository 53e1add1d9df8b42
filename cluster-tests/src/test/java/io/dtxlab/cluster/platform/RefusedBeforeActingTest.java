package io.dtxlab.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.Answer;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.ZipkinCollector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A request that cannot be served as asked is refused before anything happens, with a problem detail: a value of
 * the wrong JSON type, an answer the client does not accept, settings that cannot work. And every error a node
 * answers, Tomcat's own included, is {@code application/problem+json}. Tracing is on in this cluster (nothing here
 * is timed tightly): an order is one trace across the nodes.
 */
class RefusedBeforeActingTest {

    /** Tracing is on in this cluster, and its spans go here (declared first: the nodes need its address). */
    static final ZipkinCollector zipkin = ZipkinCollector.start();

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.tracing.enabled", "true")
            .property("management.tracing.export.zipkin.endpoint", zipkin.endpoint()));

    final Shop shop = new Shop(lab.cluster());
    final LabNode order = lab.node("order");
    final LabNode inventory = lab.node("inventory");

    @AfterAll
    static void stopZipkin() {
        zipkin.close();
    }

    @Test
    void anOrderIsOneTraceThroughOrderCoordinatorAndEveryParticipant() {
        // given a client that traces its own requests (W3C traceparent, sampled)
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";

        // when it places an order
        Answer placed = Answer.of(order.http().post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", traceparent).body("{\"customerId\":\"alice\",\"sku\":\"WIDGET\",\"quantity\":1}")
                .retrieve().toEntity(String.class));
        assertThat(placed.body().path("outcome").asString()).as("%s", placed.body()).isEqualTo("CONFIRMED");

        // then the traceparent went order -> coordinator -> inventory, payment and order's own branch: Zipkin has the
        // client's trace with the order request and each node's part of the transaction
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(zipkin.trace(traceId))
                .extracting(ZipkinCollector.Span::toString).contains(
                        "order SERVER http post /orders",
                        Shop.COORDINATOR + " SERVER http post /internal/transactions/batch",
                        "inventory SERVER http post /internal/branches/batch",
                        "payment SERVER http post /internal/branches/batch",
                        "order SERVER http post /internal/branches/batch"));
    }

    @Test
    void aQuantityThatIsNotAJsonIntegerIsRefusedNamingTheFieldAndNothingIsWritten() {
        Before before = before();

        for (String quantity : List.of("2.5", "2.0", "\"3\"", "true")) {
            Answer refused = placeOrder("{\"customerId\":\"alice\",\"sku\":\"WIDGET\",\"quantity\":" + quantity + "}",
                    MediaType.APPLICATION_JSON_VALUE);

            Answer.assertInvalid(refused, "quantity");
            assertThat(refused.body().path("errors").get(0).path("message").asString()).as(quantity)
                    .startsWith("must be a JSON integer, not ");
            assertThat(refused.body().path("detail").asString()).as(quantity).contains("'quantity' must be a JSON integer");
        }
        Answer numberForAString = placeOrder("{\"customerId\":42,\"sku\":\"WIDGET\",\"quantity\":1}",
                MediaType.APPLICATION_JSON_VALUE);
        Answer.assertInvalid(numberForAString, "customerId");

        before.assertNothingChanged();
    }

    @Test
    void anOrderWhoseAnswerTheClientWouldNotAcceptIsRefusedWith406BeforeItIsPlaced() {
        Before before = before();

        Answer refused = placeOrder("{\"customerId\":\"alice\",\"sku\":\"WIDGET\",\"quantity\":1}",
                MediaType.APPLICATION_XML_VALUE);

        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.body().path("detail").asString()).isNotBlank();
        before.assertNothingChanged();
    }

    @Test
    void aStockingWhoseAnswerTheClientWouldNotAcceptIsRefusedWith406BeforeItIsStocked() {
        Answer refused = Answer.of(inventory.admin().put().uri("/admin/stock/XML-1")
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_XML)
                .body("{\"unitPrice\": 1.00, \"available\": 5}").retrieve().toEntity(String.class));

        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(inventory.http().get().uri("/stock/XML-1").retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void jsonCompatibleAcceptHeadersAndBigDecimalAmountsStillWork() {
        for (String accept : List.of("application/json", "application/*", "*/*", "application/problem+json, */*;q=0.1")) {
            Answer stocked = Answer.of(inventory.admin().put().uri("/admin/stock/ACC-1")
                    .contentType(MediaType.APPLICATION_JSON).header("Accept", accept)
                    .body("{\"unitPrice\": 2, \"available\": 1}").retrieve().toEntity(String.class));
            assertThat(stocked.status()).as(accept).isIn(200, 201);
        }
        assertThat(ServiceContract.json(inventory, "/stock/ACC-1").path("unitPrice").decimalValue())
                .isEqualByComparingTo("2.00");

        Shop.Placed placed = shop.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).as(placed.body().toString()).isEqualTo("CONFIRMED");
        assertThat(placed.body().path("amount").decimalValue()).isEqualByComparingTo("2.50");
    }

    @Test
    void aQueryParameterOfTheWrongTypeIsAProblemNamingIt() {
        Answer refused = Answer.of(order.http().get().uri("/orders?limit=2.5").retrieve().toEntity(String.class));

        Answer.assertInvalid(refused, "limit");
        assertThat(refused.body().path("detail").asString()).contains("must be an integer, not '2.5'");
    }

    @Test
    void anIntegerQueryParameterIsOnlyAnOptionalMinusAndDecimalDigits() throws Exception {
        for (String limit : List.of("0x10", "%2B5", "%205", "%2310", "1e2", "2147483648")) {
            HttpResponse<String> refused = raw(order, "GET", "/orders?limit=" + limit, List.of());

            JsonNode problem = assertProblem(refused, 400);
            assertThat(problem.path("errors").get(0).path("field").asString()).as(limit).isEqualTo("limit");
            assertThat(problem.path("detail").asString()).as(limit).contains("'limit' must be an integer, not '");
        }
        assertProblem(raw(inventory, "GET", "/stock?limit=0x10", List.of()), 400);
        assertThat(raw(order, "GET", "/orders?limit=010", List.of()).statusCode()).as("decimal, not octal")
                .isEqualTo(200);
    }

    @Test
    void aRequestBodyOverTheLimitIs413BeforeAnythingIsDone() throws Exception {
        Before before = before();
        // a valid order padded with whitespace to just over the limit (2 MB)
        String body = "{\"customerId\":\"alice\",\"sku\":\"WIDGET\",\"quantity\":1" + " ".repeat(2 * 1024 * 1024) + "}";
        HttpClient client = HttpClient.newHttpClient();

        // announced by its Content-Length: refused unread, then read and discarded (server.tomcat.max-swallow-size)
        // so that the client, told "100 Continue" and still sending, gets the answer rather than a reset
        HttpResponse<String> announced = client.send(HttpRequest.newBuilder(URI.create(order.baseUrl() + "/orders"))
                .header("Content-Type", "application/json").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        // chunked, its length unknown until the reader passes the limit
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create(order.baseUrl() + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(assertProblem(announced, 413).path("detail").asString()).contains("2097152 bytes");
        assertThat(assertProblem(chunked, 413).path("detail").asString()).contains("2097152 bytes");
        before.assertNothingChanged();
    }

    @Test
    void aFaultForAnUnknownPeerAndAPartitionAgainstAnUnknownNodeAreRefusedNamingTheKnownNodes() {
        Answer fault = Answer.of(order.admin().post().uri("/admin/faults").contentType(MediaType.APPLICATION_JSON)
                .body("{\"point\":\"send:ping\",\"action\":\"ERROR\",\"peer\":\"inventroy\"}")
                .retrieve().toEntity(String.class));
        Answer partition = Answer.of(order.admin().put().uri("/admin/partition").contentType(MediaType.APPLICATION_JSON)
                .body("{\"nodes\":[\"inventory\",\"no-such-node\"]}").retrieve().toEntity(String.class));
        Answer self = Answer.of(order.admin().put().uri("/admin/partition").contentType(MediaType.APPLICATION_JSON)
                .body("{\"nodes\":[\"order\"]}").retrieve().toEntity(String.class));

        Answer.assertInvalid(fault, "peer");
        assertThat(fault.body().path("detail").asString())
                .contains("inventroy").contains("[coordinator-1, inventory, order, payment]");
        Answer.assertInvalid(partition, "nodes");
        assertThat(partition.body().path("detail").asString())
                .contains("no-such-node").contains("[coordinator-1, inventory, payment]");
        Answer.assertInvalid(self, "nodes");
        assertThat(adminJson("/admin/faults").isEmpty()).as("no fault armed").isTrue();
        assertThat(adminJson("/admin/partition").path("cutOffFrom").isEmpty()).as("no node cut off").isTrue();
    }

    @Test
    void errorsTomcatAndSpringAnswerBeforeOurCodeAreProblemDetailsToo() throws Exception {
        assertProblem(raw(order, "GET", "/no/such/path", List.of()), 404);
        assertProblem(raw(order, "DELETE", "/orders", List.of()), 405);
        assertProblem(raw(order, "POST", "/orders", List.of("Content-Type", "text/plain")), 415);
        assertThat(assertProblem(raw(order, "GET", "/orders/a%2Fb", List.of()), 400).path("detail").asString())
                .contains("may not contain '/'");
        assertProblem(raw(order, "GET", "/orders/a%25b;x", List.of()), 400); // Spring Security's firewall, via /error
        assertProblem(raw(order, "GET", "/orders/" + "x".repeat(20_000), List.of()), 400);
        assertProblem(raw(order, "GET", "/orders", List.of("X-Big", "y".repeat(20_000))), 400);
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(response.uri().toString())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ServiceContract.parse(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        return problem;
    }

    /** A request exactly as written: no client library normalising the path or refusing a large header. */
    private static HttpResponse<String> raw(LabNode node, String method, String path, List<String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x")
                        : HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode adminJson(String path) {
        return ServiceContract.parse(order.admin().get().uri(path).retrieve().body(String.class));
    }

    private Answer placeOrder(String body, String accept) {
        return Answer.of(order.http().post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .header("Accept", accept).body(body).retrieve().toEntity(String.class));
    }

    private Before before() {
        return new Before(ServiceContract.json(order, "/orders?limit=1000").size(), shop.stock("WIDGET"),
                shop.funds("alice"));
    }

    /** What a refused order must leave as it was: the orders, the stock and the customer's money. */
    private final class Before {
        final int orders;
        final Shop.Stock stock;
        final Shop.Funds funds;

        Before(int orders, Shop.Stock stock, Shop.Funds funds) {
            this.orders = orders;
            this.stock = stock;
            this.funds = funds;
        }

        void assertNothingChanged() {
            assertThat(ServiceContract.json(order, "/orders?limit=1000").size()).isEqualTo(orders);
            assertThat(shop.stock("WIDGET")).isEqualTo(stock);
            assertThat(shop.funds("alice")).isEqualTo(funds);
        }
    }
}
