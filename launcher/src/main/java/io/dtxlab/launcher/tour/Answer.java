package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dtxlab.bench.Http;
import java.io.IOException;
import java.time.Duration;

/**
 * What a node answered: the HTTP status (0 when nothing answered, and {@code failure} says why) and the body, read
 * as JSON when it is JSON; {@code took} is how long the answer took to come.
 */
record Answer(int status, JsonNode json, String body, String failure, Duration took) {

    /** Decimals as written (100.00, not 100.0): the tour shows money as the services wrote it. */
    private static final ObjectReader JSON = Http.json().copy()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true)).readerFor(JsonNode.class)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static Answer of(Http.Response response) {
        return of(response.status(), response.body(), response.failure());
    }

    static Answer of(int status, String body, String failure) {
        JsonNode json = MissingNode.getInstance();
        if (body != null && !body.isBlank()) {
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = MissingNode.getInstance(); // not JSON (a plain-text error page): the checks see nothing
            }
        }
        return new Answer(status, json, body == null ? "" : body, failure, Duration.ZERO);
    }

    Answer took(Duration time) {
        return new Answer(status, json, body, failure, time);
    }

    /** The value at a JSON pointer ({@code /outcome}, {@code /siblings/0/value}); missing when there is none. */
    JsonNode at(String pointer) {
        return json.at(pointer);
    }

    /** For messages: the status, or why nothing answered. */
    String describeStatus() {
        return status == 0 ? "no answer (" + failure + ")" : Integer.toString(status);
    }
}
