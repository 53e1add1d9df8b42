package io.dtxlab.platform.messaging;

import io.dtxlab.platform.node.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reachability between nodes, and the record of messages this node sent. */
@RestController
@Tag(name = "Cluster messages", description = "Ping other nodes through the cluster client and read the message record")
class PingController {

    private final NodeIdentity node;
    private final ClusterClient client;
    private final MessageLog messages;

    PingController(NodeIdentity node, ClusterClient client, MessageLog messages) {
        this.node = node;
        this.client = client;
        this.messages = messages;
    }

    @GetMapping("/internal/ping")
    @Operation(summary = "Answer a ping from another node (cluster token)")
    PingReply ping() {
        return new PingReply(node.id(), node.role(), node.incarnation());
    }

    /** What a ping from this node to another showed. */
    record PingResult(String from, String to, PingReply reply, MessageRecord message) {
    }

    @PostMapping("/admin/ping/{nodeId}")
    @Operation(summary = "Ping another node through the cluster client (admin token)",
            description = "The ping passes partitions and the fault points send:ping and reply:ping like any message. "
                    + "A failed ping answers with a problem detail whose 'outcome' says why (TIMEOUT, PARTITIONED, DROPPED...).")
    @ApiResponse(responseCode = "200", description = "The node answered: its reply and the message record")
    @ApiResponse(responseCode = "400", description = "Not a node of this cluster (dtx.cluster.members)")
    @ApiResponse(responseCode = "502", description = "The node answered with an error, or an injected ERROR failed the "
            + "send (type urn:dtx:problem:peer-unreachable; 'peer' and 'outcome': REFUSED, FAILED, INJECTED_ERROR)")
    @ApiResponse(responseCode = "503", description = "The node cannot be reached, or a partition separates the two "
            + "(outcome UNREACHABLE, PARTITIONED)")
    @ApiResponse(responseCode = "504", description = "No answer in time, the connection broke, or a DROP fault lost "
            + "the message (outcome TIMEOUT, CONNECTION_LOST, DROPPED)")
    PingResult pingPeer(@PathVariable String nodeId) {
        PingReply reply = client.get(nodeId, "ping", null, "/internal/ping", PingReply.class);
        List<MessageRecord> last = messages.recent(null, 50);
        MessageRecord record = null;
        for (int i = last.size() - 1; i >= 0 && record == null; i--) {
            MessageRecord m = last.get(i);
            record = m.to().equals(nodeId) && m.kind().equals("ping") ? m : null;
        }
        return new PingResult(node.id(), nodeId, reply, record);
    }

    @GetMapping("/admin/messages")
    @Operation(summary = "List the most recent messages this node sent (admin token)",
            description = "Oldest first. 'scope' keeps only the messages about one transaction id or key.")
    List<MessageRecord> recent(@RequestParam(required = false) String scope,
            @RequestParam(defaultValue = "100") @Min(1) @Max(MessageLog.CAPACITY) int limit) {
        return messages.recent(scope, limit);
    }
}
