package io.dtxlab.platform.web;

import io.dtxlab.platform.problem.ProblemTypes;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report as a problem detail instead of an HTML page. Tomcat writes this report for errors it
 * answers itself, before the request reaches Spring: a malformed or rejected URI (an encoded {@code /}, {@code %2F},
 * is refused: no key or id may contain '/'), a request line and headers over {@code server.max-http-request-header-size},
 * and any error status set without a body being written. Installed on the host and the engine by
 * {@link TomcatProblemReports}.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final long maxHeaderBytes;

    /** As Tomcat makes it from the host's {@code errorReportValveClass}: Tomcat's default header limit, 8 KB. */
    public ProblemReportValve() {
        this(8 * 1024);
    }

    /** @param maxHeaderBytes the connector's limit on the request line and headers, to name in a 400 */
    public ProblemReportValve(long maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || response.isCommitted()) {
            return;
        }
        if (!response.isError()) {
            // the connector set the status itself (e.g. headers over the limit) instead of sending an error
            response.setError();
        }
        if (!response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String title = status != null ? status.getReasonPhrase() : "HTTP " + code;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemTypes.of(HttpStatusCode.valueOf(code)).toString());
        problem.put("title", title);
        problem.put("status", code);
        problem.put("detail", detail(request, response, title));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was taken over: nothing left to tell
        }
    }

    private String detail(Request request, Response response, String title) {
        String uri = request.getCoyoteRequest().requestURI().toString(); // null when the request line was unreadable
        if (uri != null && uri.toUpperCase(Locale.ROOT).contains("%2F")) {
            return "the path " + uri + " contains an encoded '/' (%2F), which is refused: a key or id may not contain '/'";
        }
        String message = response.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (response.getStatus() == 400) {
            return "the request could not be read: a malformed request line or URI, or a request line and headers "
                    + "over the limit of " + maxHeaderBytes + " bytes (server.max-http-request-header-size)";
        }
        return title;
    }
}
