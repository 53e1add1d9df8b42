package io.dtxlab.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

@ExtendWith(OutputCaptureExtension.class)
class SecurityTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("inventory", InventoryApplication.class));

    LabNode inventory = cluster.node("inventory");

    @Test
    void businessEndpointsNeedNoToken() {
        assertThat(get(inventory.http(), "/stock").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aWrongTokenIsRefusedEvenWhereNoneIsNeeded() {
        // an open endpoint wants no token, but a caller that presents a stale one learns it at once
        assertUnauthorized(get(withHeader("X-Admin-Token", "wrong"), "/stock"), "X-Admin-Token");
        assertUnauthorized(get(withHeader("X-Cluster-Token", "wrong"), "/stock"), "X-Cluster-Token");

        assertThat(get(inventory.admin(), "/stock").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void anInternalEndpointNeedsTheClusterToken() {
        assertUnauthorized(get(inventory.http(), "/internal/ping"), "X-Cluster-Token");
        assertUnauthorized(get(withHeader("X-Cluster-Token", "wrong"), "/internal/ping"), "X-Cluster-Token");

        assertThat(get(inventory.internal(), "/internal/ping").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void anAdminEndpointNeedsTheAdminToken() {
        assertUnauthorized(get(inventory.http(), "/admin/faults"), "X-Admin-Token");
        assertUnauthorized(get(withHeader("X-Admin-Token", "wrong"), "/admin/faults"), "X-Admin-Token");

        assertThat(get(inventory.admin(), "/admin/faults").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void theClusterTokenDoesNotOpenAdminEndpoints() {
        ResponseEntity<String> response = get(inventory.internal(), "/admin/faults");

        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getBody()).contains("X-Admin-Token");
    }

    @Test
    void tokensNeverAppearInTheLogs(CapturedOutput output) {
        get(inventory.admin(), "/admin/faults");
        get(inventory.internal(), "/internal/ping");
        get(withHeader("X-Admin-Token", "a-wrong-admin-token"), "/admin/faults");

        assertThat(output.getAll()).doesNotContain(TestTokens.ADMIN, TestTokens.CLUSTER, "a-wrong-admin-token");
    }

    private static void assertUnauthorized(ResponseEntity<String> response, String header) {
        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(ServiceContract.parse(response.getBody()).path("detail").asString()).contains(header);
    }

    private RestClient withHeader(String name, String value) {
        return inventory.http().mutate().defaultHeader(name, value).build();
    }

    private static ResponseEntity<String> get(RestClient client, String path) {
        return client.get().uri(path).retrieve().toEntity(String.class);
    }
}
