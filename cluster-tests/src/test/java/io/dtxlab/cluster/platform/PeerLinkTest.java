package io.dtxlab.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.contract.BranchBatch;
import io.dtxlab.contract.BranchBatchReply;
import io.dtxlab.contract.BranchMessage;
import io.dtxlab.contract.BranchReply;
import io.dtxlab.contract.ParticipantClient;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.order.OrderApplication;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageLog;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A participant batch travels over a peer link (one binary frame each way on a kept WebSocket connection) and is
 * answered exactly as over HTTP: the same replies, the same refusals with the same problem details, the same
 * outcomes for a partition and a crash. Order's cluster client sends, as a coordinator's would. Until a link to the
 * peer is open (it opens in the background at the first message), messages go over HTTP, with the same answers.
 */
class PeerLinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("order", OrderApplication.class)
            .node("inventory", InventoryApplication.class));

    LabCluster cluster = lab.cluster();

    @AfterEach
    void heal() {
        cluster.heal();
    }

    /** The first batch to a peer goes over HTTP while a link opens; soon a batch needs no HTTP request at all. */
    @BeforeEach
    void linked() {
        Awaitility.await("a batch over a link").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            double httpBefore = httpBatches();
            send(new BranchBatch(List.of(abort("tx-link-0")))).join();
            assertThat(httpBatches()).as("batches over HTTP").isEqualTo(httpBefore);
        });
    }

    @Test
    void aBatchOverALinkIsAnsweredAsOverHttpWithoutAnHttpRequest() {
        double httpBefore = httpBatches();

        BranchBatchReply reply = send(new BranchBatch(List.of(abort("tx-link-1"), abort("tx-link-2")))).join();

        assertThat(reply.replies()).extracting(BranchReply::xid).containsExactly("tx-link-1", "tx-link-2");
        assertThat(reply.replies()).extracting(BranchReply::reply).containsOnly(Reply.ACK);
        assertThat(httpBatches()).as("batches over HTTP").isEqualTo(httpBefore);
        assertThat(lastBatchRecorded()).isEqualTo(MessageOutcome.DELIVERED);
    }

    @Test
    void anInvalidBatchIsRefusedWithTheFieldsNamedAndNothingHandled() {
        BranchMessage invalid = new BranchMessage("tx/bad", BranchCommand.ABORT, "coordinator-1", 1, "2PC", null, null);
        double httpBefore = httpBatches();

        ClusterCallException refused = failure(send(new BranchBatch(List.of(abort("tx-link-3"), invalid))));

        assertThat(refused.outcome()).isEqualTo(MessageOutcome.REFUSED);
        assertThat(refused.peerStatus()).isEqualTo(400);
        assertThat(refused.peerProblem().getTitle()).isEqualTo("Validation failed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) refused.peerProblem().getProperties()
                .get("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactly("messages[1].xid");
        assertThat(httpBatches()).as("refused over the link, not over HTTP").isEqualTo(httpBefore);
        assertThat(cluster.node("inventory").internal().get().uri("/branches/tx-link-3").retrieve()
                .toBodilessEntity().getStatusCode().value()).as("the valid message was not handled").isEqualTo(404);
    }

    @Test
    void aParticipantCutOffFromTheSenderRefusesTheBatchOverTheLinkAsPartitioned() {
        // only inventory's side is cut, so order still sends, and inventory refuses the frame on its open link
        cluster.node("inventory").bean(PartitionTable.class).cutOffFrom(Set.of("order"));
        double httpBefore = httpBatches();

        ClusterCallException refused = failure(send(new BranchBatch(List.of(abort("tx-link-5")))));

        assertThat(refused.outcome()).isEqualTo(MessageOutcome.PARTITIONED);
        assertThat(refused.peerStatus()).isEqualTo(503);
        assertThat(httpBatches()).as("refused over the link, not over HTTP").isEqualTo(httpBefore);
        cluster.heal();
        assertThat(send(new BranchBatch(List.of(abort("tx-link-6")))).join().replies())
                .extracting(BranchReply::reply).containsExactly(Reply.ACK);
    }

    @Test
    void aCrashedParticipantIsUnreachableAndItsRestartIsLinkedAgain() {
        cluster.crash("inventory");
        assertThat(failure(send(new BranchBatch(List.of(abort("tx-link-8"))))).outcome())
                .isIn(MessageOutcome.UNREACHABLE, MessageOutcome.CONNECTION_LOST);

        cluster.restart("inventory");
        assertThat(send(new BranchBatch(List.of(abort("tx-link-9")))).join().replies())
                .extracting(BranchReply::reply).containsExactly(Reply.ACK);
    }

    private double httpBatches() {
        Timer batches = cluster.node("inventory").bean(MeterRegistry.class).find("http.server.requests")
                .tag("uri", "/internal/branches/batch").timer();
        return batches == null ? 0 : batches.count();
    }

    private CompletableFuture<BranchBatchReply> send(BranchBatch batch) {
        return new ParticipantClient(cluster.node("order").bean(ClusterClient.class)).send("inventory", batch, TIMEOUT);
    }

    private static BranchMessage abort(String xid) {
        return new BranchMessage(xid, BranchCommand.ABORT, "coordinator-1", 1, "2PC", null, "test");
    }

    private MessageOutcome lastBatchRecorded() {
        return cluster.node("order").bean(MessageLog.class).recent(null, 1000).stream()
                .filter(m -> ParticipantClient.BATCH_KIND.equals(m.kind()))
                .findFirst().orElseThrow().outcome(); // newest first
    }

    private static ClusterCallException failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(ClusterCallException.class);
            return (ClusterCallException) cause;
        }
        throw new AssertionError("the batch was answered");
    }
}
