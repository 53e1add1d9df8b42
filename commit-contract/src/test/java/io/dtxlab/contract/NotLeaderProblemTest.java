package io.dtxlab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.mock.http.MockHttpOutputMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The not-leader answer survives the wire: written and read with the converter Spring's clients and servers use
 * (the same the cluster client reads a peer's problem with), its type and {@code leader} come back.
 */
class NotLeaderProblemTest {

    private final JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter();

    @Test
    void aNotLeaderProblemNamesTheLeaderAfterTheRoundTrip() throws Exception {
        ProblemDetail sent = NotLeaderProblem.of("coordinator-2", "coordinator-1 does not lead");

        String json = write(sent);
        ProblemDetail read = read(json);

        JsonNode body = JsonMapper.builder().build().readTree(json);
        assertThat(body.path("type").asString()).isEqualTo("urn:dtx:problem:not-leader");
        assertThat(body.path("status").asInt()).isEqualTo(503);
        assertThat(body.path("leader").asString()).isEqualTo("coordinator-2");
        assertThat(NotLeaderProblem.is(read)).isTrue();
        assertThat(NotLeaderProblem.leader(read)).contains("coordinator-2");
        assertThat(CoordinatorClient.isNotLeader(failure(503, read))).isTrue();
        assertThat(CoordinatorClient.leaderHint(failure(503, read))).contains("coordinator-2");
    }

    @Test
    void withoutALeaderItIsStillANotLeaderAnswer() throws Exception {
        ProblemDetail read = read(write(NotLeaderProblem.of(null, "no leader is known")));

        assertThat(NotLeaderProblem.is(read)).isTrue();
        assertThat(NotLeaderProblem.leader(read)).isEmpty();
        assertThat(CoordinatorClient.isNotLeader(failure(503, read))).isTrue();
        assertThat(CoordinatorClient.leaderHint(failure(503, read))).isEmpty();
    }

    @Test
    void otherProblemsAreNotNotLeaderAnswersEvenWithALeaderProperty() throws Exception {
        ProblemDetail other = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "busy");
        other.setProperty("leader", "coordinator-3");
        ProblemDetail read = read(write(other));

        assertThat(NotLeaderProblem.is(read)).isFalse();
        assertThat(NotLeaderProblem.leader(read)).isEmpty();
        assertThat(CoordinatorClient.isNotLeader(failure(503, read))).isFalse();
        assertThat(CoordinatorClient.leaderHint(failure(503, read))).isEmpty();
        assertThat(CoordinatorClient.isNotLeader(failure(500, read(write(NotLeaderProblem.of("c", "x")))))).isFalse();
    }

    @Test
    void aTitleAloneIsNotTheType() throws Exception {
        ProblemDetail titled = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "does not lead");
        titled.setTitle("Not the leader");
        titled.setProperty("leader", "coordinator-3");
        ProblemDetail read = read(write(titled));

        assertThat(NotLeaderProblem.is(read)).isFalse();
        assertThat(CoordinatorClient.isNotLeader(failure(503, read))).isFalse();
        assertThat(CoordinatorClient.leaderHint(failure(503, read))).isEmpty();
    }

    private String write(ProblemDetail problem) throws Exception {
        MockHttpOutputMessage out = new MockHttpOutputMessage();
        converter.write(problem, MediaType.APPLICATION_PROBLEM_JSON, out);
        return out.getBodyAsString(StandardCharsets.UTF_8);
    }

    private ProblemDetail read(String json) throws Exception {
        MockHttpInputMessage in = new MockHttpInputMessage(json.getBytes(StandardCharsets.UTF_8));
        in.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return (ProblemDetail) converter.read(ProblemDetail.class, in);
    }

    private static ClusterCallException failure(int status, ProblemDetail problem) {
        return new ClusterCallException("coordinator-1", "begin", MessageOutcome.FAILED, status, problem, null);
    }
}
