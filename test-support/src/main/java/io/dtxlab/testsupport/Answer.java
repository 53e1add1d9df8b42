package io.dtxlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A node's answer as a test reads it: status, content type, Location and the JSON body (an empty object when there
 * is none).
 */
public record Answer(int status, String contentType, String location, JsonNode body) {

    public static Answer of(ResponseEntity<String> response) {
        var type = response.getHeaders().getContentType();
        var location = response.getHeaders().getLocation();
        return new Answer(response.getStatusCode().value(), type == null ? null : type.toString(),
                location == null ? null : location.toString(),
                ServiceContract.parse(response.getBody() == null ? "{}" : response.getBody()));
    }

    /** PUTs {@code json} to {@code path} with {@code client} (e.g. a node's admin client) and reads the answer. */
    public static Answer put(RestClient client, String path, String json) {
        return of(client.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(json)
                .retrieve().toEntity(String.class));
    }

    /** The answer is a 400 validation problem ({@code application/problem+json}) naming {@code field}. */
    public static void assertInvalid(Answer answer, String field) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        List<String> fields = new ArrayList<>();
        answer.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).as(answer.body().toString()).anyMatch(f -> f.equals(field) || f.endsWith("." + field));
    }
}
