package io.dtxlab.platform.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two frames a peer link carries, each one binary WebSocket message (RFC 6455), big-endian:
 * <pre>
 * request: byte 1 | long id | UTF path | UTF kind | UTF scope ("" for none) | body (JSON, to the end)
 * answer:  byte 2 | long id | short status | byte partitioned (0 or 1) | body (JSON, to the end; may be empty)
 * </pre>
 * UTF is {@link DataOutputStream#writeUTF}'s form (a 2-byte length, then modified UTF-8). The body is the JSON an HTTP
 * request or answer on the same path would carry: the request record, the answer record, or a problem detail
 * (RFC 9457) when the status is not 2xx.
 */
final class PeerFrames {

    static final byte REQUEST = 1;
    static final byte ANSWER = 2;

    private PeerFrames() {
    }

    /**
     * {@code json} (the node's strict mapper) as the bodies of peer link frames are read and written: with Spring's
     * mix-in for problem details, so a problem's extension members ({@code leader}, {@code errors}) travel as they do
     * over HTTP.
     */
    static JsonMapper json(JsonMapper json) {
        return json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    }

    /** A request as it arrives: which route, which message, and its body. */
    record Request(long id, String path, String kind, String scope, byte[] body) {
    }

    /** An answer as it arrives: the HTTP status the same request would have got, and its body. */
    record Answer(long id, int status, boolean partitioned, byte[] body) {
    }

    static ByteBuffer request(long id, String path, String kind, String scope, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + body.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(REQUEST);
            out.writeLong(id);
            out.writeUTF(path);
            out.writeUTF(kind);
            out.writeUTF(scope == null ? "" : scope);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    static ByteBuffer answer(long id, int status, boolean partitioned, byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(1 + 8 + 2 + 1 + body.length);
        frame.put(ANSWER).putLong(id).putShort((short) status).put((byte) (partitioned ? 1 : 0)).put(body);
        return frame.flip();
    }

    /** The request in {@code frame}, which must hold exactly one. */
    static Request readRequest(byte[] frame) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
        if (in.readByte() != REQUEST) {
            throw new IOException("not a request frame");
        }
        long id = in.readLong();
        String path = in.readUTF();
        String kind = in.readUTF();
        String scope = in.readUTF();
        return new Request(id, path, kind, scope.isEmpty() ? null : scope, in.readAllBytes());
    }

    /** The answer in {@code frame}, which must hold exactly one. */
    static Answer readAnswer(ByteBuffer frame) throws IOException {
        if (frame.remaining() < 12 || frame.get() != ANSWER) {
            throw new IOException("not an answer frame");
        }
        long id = frame.getLong();
        int status = frame.getShort();
        boolean partitioned = frame.get() != 0;
        byte[] body = new byte[frame.remaining()];
        frame.get(body);
        return new Answer(id, status, partitioned, body);
    }
}
