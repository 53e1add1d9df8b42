package io.dtxlab.coordinator.consensus;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** The coordinators' Paxos messages to each other (cluster token required). Replies travel as messages of their own. */
@RestController
@Tag(name = "Consensus", description = "Paxos messages between coordinators")
class PaxosController {

    private final PaxosDriver driver;
    private final ObjectMapper json;

    PaxosController(PaxosDriver driver, ObjectMapper json) {
        this.driver = driver;
        this.json = json;
    }

    @PostMapping("/internal/paxos")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Deliver one Paxos message (prepare, promise, accept, accepted, rejected, chosen)")
    void deliver(@RequestBody PaxosEnvelope envelope) {
        driver.step(envelope.open(json));
    }
}
