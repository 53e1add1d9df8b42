package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.PaxosMessage;
import io.dtxlab.platform.messaging.PeerLinkRoute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * The coordinators' Paxos messages to each other (cluster token required). The answer to a prepare, accept or
 * pre-vote comes back in the response body (a JSON array of envelopes, often one) when it is ready within
 * {@link ConsensusProperties#replyWait()}; otherwise the body is {@code []} and the answer follows as a request of its
 * own. Other messages are answered with {@code []}; an {@code InstallSnapshot} (a leader's whole applied transaction
 * table, for a coordinator behind its log compaction) is answered at once and installed afterwards.
 */
@RestController
@Tag(name = "Consensus", description = "Paxos messages between coordinators")
class PaxosController implements PeerLinkRoute<PaxosEnvelope> {

    /** Where Paxos messages arrive, over HTTP or a peer link. */
    static final String PATH = "/internal/paxos";

    private final PaxosDriver driver;
    private final ObjectMapper json;
    private final ConsensusProperties properties;

    PaxosController(PaxosDriver driver, ObjectMapper json, ConsensusProperties properties) {
        this.driver = driver;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping(PATH)
    @Operation(summary = "Deliver one Paxos message (pre-vote, prepare, promise, accept, accepted, rejected, chosen, "
            + "install snapshot); the answers to the sender come back in the body")
    List<PaxosEnvelope> deliver(@RequestBody PaxosEnvelope envelope) {
        PaxosDriver.Answer answer = driver.receive(envelope.open(json));
        List<PaxosMessage> answers = new ArrayList<>(answer.now());
        answers.addAll(answer.later()
                .completeOnTimeout(List.of(), properties.replyWait().toMillis(), TimeUnit.MILLISECONDS).join());
        return answers.stream().map(m -> PaxosEnvelope.of(m, json)).toList();
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public Class<PaxosEnvelope> requestType() {
        return PaxosEnvelope.class;
    }

    @Override
    public Object handle(PaxosEnvelope envelope) {
        return deliver(envelope);
    }
}
