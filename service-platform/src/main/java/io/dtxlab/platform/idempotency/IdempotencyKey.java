package io.dtxlab.platform.idempotency;

import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The value of an {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header): a
 * Structured Field String ({@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}), or the same characters unquoted, as
 * many clients send it. The key itself is 1 to {@value #MAX_LENGTH} visible ASCII characters (0x21 to 0x7E).
 *
 * @param value the key without its quotes
 */
public record IdempotencyKey(String value) {

    /** The request header that carries a key. */
    public static final String HEADER = "Idempotency-Key";
    /** Set to {@code true} on an answer that repeats the first answer given under the request's key. */
    public static final String REPLAYED = "Idempotent-Replayed";
    /** Longest key, in characters (each one byte: visible ASCII). */
    public static final int MAX_LENGTH = 255;
    /** What an OpenAPI {@code @Parameter} shows as an example. */
    public static final String EXAMPLE = "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"";

    /**
     * Parses a header value.
     *
     * @throws ResponseStatusException 400 if the value is empty, longer than {@value #MAX_LENGTH} characters, has
     *         characters outside visible ASCII, or is a malformed quoted string
     */
    public static IdempotencyKey parse(String header) {
        String key = header;
        if (header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")) {
            key = header.substring(1, header.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw bad("must be 1 to " + MAX_LENGTH + " characters long, is " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw bad("must be visible ASCII (0x21 to 0x7E); character " + (i + 1) + " is "
                        + String.format("U+%04X", (int) c));
            }
        }
        return new IdempotencyKey(key);
    }

    /** The key of an optional header: empty without one, else {@link #parse} (so a malformed one is a 400). */
    public static Optional<IdempotencyKey> ofHeader(String header) {
        return header == null ? Optional.empty() : Optional.of(parse(header));
    }

    private static ResponseStatusException bad(String why) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "header " + HEADER + " " + why
                + " (e.g. " + HEADER + ": " + EXAMPLE + "); nothing was done");
    }
}
