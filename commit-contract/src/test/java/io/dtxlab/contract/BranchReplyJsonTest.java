package io.dtxlab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON shapes of the branch messages and replies, as both sides write and read them. */
class BranchReplyJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aReplyIsItsFiveFieldsAndNothingElse() {
        BranchReply stale = new BranchReply("tx-1", "inventory", Reply.STALE, null, "epoch 1 < 2002");

        JsonNode written = json.valueToTree(stale);

        assertThat(written.propertyNames()).containsExactlyInAnyOrder("xid", "participant", "reply", "state", "reason");
        assertThat(json.treeToValue(written, BranchReply.class)).isEqualTo(stale);
        assertThat(stale.isRefusal()).isTrue();
        assertThat(stale.isFailure()).isFalse();
    }

    @Test
    void aFailedMessageIsAReplyWithoutAnAnswer() {
        BranchReply failed = BranchReply.failed("tx-1", "payment", "injected fault at participant.decision-received");

        BranchReply read = json.readValue(json.writeValueAsString(failed), BranchReply.class);

        assertThat(read.isFailure()).isTrue();
        assertThat(read.isRefusal()).isFalse();
        assertThat(read.state()).isNull();
        assertThat(new BranchReply("tx-1", "payment", Reply.ACK, BranchState.COMMITTED, null).isFailure()).isFalse();
    }

    @Test
    void aBatchCarriesWholeMessagesAndTheSinglePathItsBody() {
        BranchMessage prepare = new BranchMessage("tx-1", BranchCommand.PREPARE, "coordinator-1", 1001, "2PC",
                json.readTree("{\"sku\":\"WIDGET\",\"quantity\":1}"), null);

        JsonNode batch = json.valueToTree(new BranchBatch(List.of(prepare)));
        JsonNode body = json.valueToTree(prepare.body());

        assertThat(batch.path("messages").get(0).path("command").asString()).isEqualTo("PREPARE");
        assertThat(json.treeToValue(batch, BranchBatch.class).messages()).containsExactly(prepare);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("coordinator", "epoch", "protocol", "payload",
                "reason");
        assertThat(prepare.body().toMessage("tx-1", BranchCommand.PREPARE)).isEqualTo(prepare);
        assertThat(CommitPaths.branch("tx-1", BranchCommand.COMMIT, "3PC")).isEqualTo("/internal/branches/tx-1/do-commit");
        assertThat(CommitPaths.decision("tx-1")).isEqualTo("/internal/transactions/tx-1/decision");
    }
}
