package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dtxlab.bench.Http;
import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;

/** Reading the services' answers: JSON bodies, RFC 9457 problems, and a short line for the history's error. */
final class Answers {

    /** The members every problem detail may carry; others are the problem's own (its extension members). */
    static final Set<String> STANDARD_PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance",
            "timestamp");

    /** Decimals as they are written ({@code 3.00}, not the double 3.0): money must add up to the cent. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private Answers() {
    }

    /** The body as JSON; a missing node when it is empty or not JSON (never throws). */
    static JsonNode json(Http.Response r) {
        return json(r.body());
    }

    /** {@code text} as JSON, decimals exact; a missing node when it is null, empty or not JSON (never throws). */
    static JsonNode json(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode json = EXACT.readTree(text);
            return json == null ? MissingNode.getInstance() : json;
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** The body as a history value: its JSON, or null when there is none. */
    static JsonNode value(Http.Response r) {
        JsonNode json = json(r);
        return json.isMissingNode() ? null : json;
    }

    /** The problem's {@code type}, e.g. {@code urn:dtx:problem:writes-refused}; empty when there is none. */
    static String problemType(Http.Response r) {
        return json(r).path("type").asText("");
    }

    /**
     * A short line for the history: {@code timeout: ...}, {@code connection refused: ...}, or the status with the
     * problem's title and detail (the body's start when it is not a problem).
     */
    static String error(Http.Response r) {
        if (r.status() == 0) {
            return r.failure();
        }
        JsonNode json = json(r);
        String title = json.path("title").asText("");
        String detail = json.path("detail").asText("");
        if (title.isEmpty() && detail.isEmpty()) {
            return r.describe();
        }
        String line = r.status() + " " + title + (detail.isEmpty() ? "" : ": " + detail);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /**
     * No answer at all: a fail when the connection was refused (the request never left the client), else info
     * (a timeout or a broken connection: it may have arrived).
     */
    static Outcome noAnswer(Http.Response r) {
        return r.refused() ? new Outcome.Fail(error(r)) : new Outcome.Info(null, error(r));
    }

    /** Whether the answer is a client error other than 409 (a conflict may be with a request still acting). */
    static boolean refusedAsInvalid(Http.Response r) {
        return r.status() >= 400 && r.status() < 500 && r.status() != 409;
    }

    /**
     * The outcome of a request that changes something: {@code ok} with the body on {@code done}; {@code fail} on a
     * refused connection, a client error other than 409, or an answer {@code refusedBeforeActing} knows the service
     * gives only before it changed anything; {@code info} otherwise (a timeout, a 5xx, a 409, another 2xx), with the
     * body when there is one.
     *
     * @param done the status of success, e.g. 200 or 201
     */
    static Outcome outcome(Http.Response r, int done, Predicate<Http.Response> refusedBeforeActing) {
        if (r.status() == done) {
            return new Outcome.Ok(value(r));
        }
        if (r.status() == 0) {
            return noAnswer(r);
        }
        if (refusedAsInvalid(r) || refusedBeforeActing.test(r)) {
            return new Outcome.Fail(error(r));
        }
        return new Outcome.Info(value(r), error(r));
    }
}
