package io.dtxlab.platform.openapi;

import io.dtxlab.platform.messaging.ClusterHeaders;
import io.dtxlab.platform.problem.ProblemTypes;
import io.dtxlab.platform.security.TokenHeaders;
import io.dtxlab.platform.web.RequestBodyLimit;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;

/**
 * Completes every operation's responses with the problem details the platform answers on any operation, and gives
 * every error response ({@code 4xx}, {@code 5xx}) an {@code application/problem+json} body and an example.
 *
 * <p>What a controller answers itself (201, 202, 404, 409, a 503 of its own...) it declares with {@code @ApiResponse}
 * and a description; the body and an example follow from here. The platform adds what its own filters and handlers
 * answer, on the operations where they can:
 * <ul>
 * <li>400: the operation takes a body, or a parameter that can be refused (typed, constrained or required)
 * ({@code ProblemDetailsAdvice}, {@code StrictNumberParameters});
 * <li>401 and 403: {@code /internal/**} and {@code /admin/**} need a token ({@code SecurityConfig});
 * <li>406: the operation answers with a body and {@code Accept} allows none of its media types ({@code AcceptGuard}),
 * except where the console hands on another node's answer as it came;
 * <li>413 and 415: the operation takes a body: over the limit ({@code RequestBodyLimit}), or not JSON;
 * <li>503 on {@code /internal/**}: this node is partitioned from the sender ({@code InboundTrafficFilter});
 * <li>500: an unexpected error, or an injected ERROR fault, on any operation.
 * </ul>
 * A code the controller declared keeps its description, to which the platform's case is added. A {@code 204} has no
 * body. Responses are listed in the order of their codes.
 */
final class ProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    /** The name of the example made from a response's description, replaced by any example a service gives. */
    static final String GENERIC_EXAMPLE = "example";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() != null) {
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().values().forEach(op -> complete(path, op)));
        }
    }

    private static void complete(String path, Operation op) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        responses.forEach((code, response) -> {
            if (isError(code)) {
                asProblem(code, response, path);
            } else if (code.equals("204")) {
                response.setContent(null);
            }
        });
        boolean body = op.getRequestBody() != null;
        Parameter refusable = op.getParameters() == null ? null
                : op.getParameters().stream().filter(ProblemResponses::refusable).findFirst().orElse(null);
        if (body || refusable != null) {
            add(responses, "400", "Invalid input: a validation problem names each field and the rule it broke "
                    + "in 'errors'" + (body ? "; a body that is not JSON is refused too" : ""), badInput(refusable, path));
        }
        if (path.startsWith("/internal/")) {
            secure(op, responses, OpenApiConfig.CLUSTER_SCHEME, TokenHeaders.CLUSTER_TOKEN, "the cluster token");
        } else if (path.startsWith("/admin/")) {
            secure(op, responses, OpenApiConfig.ADMIN_SCHEME, TokenHeaders.ADMIN_TOKEN, "the admin token");
        }
        if (answersWithBody(responses) && !passesAnswerOn(path)) {
            List<String> answered = successMediaTypes(responses);
            boolean json = answered.equals(List.of("application/json"));
            add(responses, "406", json ? "The Accept header allows no JSON: the answer is application/json"
                            : "The Accept header allows none of the answer's media types: " + String.join(", ", answered),
                    problem(HttpStatus.NOT_ACCEPTABLE, null, "Not Acceptable", "Acceptable representations: "
                            + (json ? "[application/json, application/*+json, application/yaml]." : answered + "."),
                            path));
        }
        if (body) {
            add(responses, "413", "The body is over the limit (" + RequestBodyLimit.PROPERTY + ", 2 MB unless set)",
                    problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.of(HttpStatus.CONTENT_TOO_LARGE),
                            "Content Too Large", "the request body (3145728 bytes) is over the limit of 2097152 bytes "
                                    + "(" + RequestBodyLimit.PROPERTY + "); nothing was done", null));
            add(responses, "415", "The body is not application/json",
                    problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "Unsupported Media Type",
                            "Content-Type 'text/plain;charset=UTF-8' is not supported.", path));
        }
        if (path.startsWith("/internal/")) {
            add(responses, "503", "This node is partitioned from the sender (header " + ClusterHeaders.FROM
                    + ") and refuses its messages", problem(HttpStatus.SERVICE_UNAVAILABLE,
                            ProblemTypes.of(HttpStatus.SERVICE_UNAVAILABLE), "Partitioned",
                            "inventory is partitioned from coordinator-1 and refuses its messages", null));
        }
        Map<String, Object> injected = problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INJECTED_FAULT,
                "Injected fault", "injected error at fault point participant.decision-received for tx-5b0c2e61f7a94d13",
                path);
        injected.put("faultPoint", "participant.decision-received");
        add(responses, "500", "Unexpected error, or an injected ERROR fault", injected);
        ApiResponses sorted = new ApiResponses();
        responses.keySet().stream().sorted().forEach(code -> sorted.addApiResponse(code, responses.get(code)));
        op.setResponses(sorted);
    }

    private static void secure(Operation op, ApiResponses responses, String scheme, String header,
            String token) {
        if (op.getSecurity() == null || op.getSecurity().isEmpty()) {
            op.addSecurityItem(new SecurityRequirement().addList(scheme));
        }
        String needed = "this endpoint needs " + token + " in the " + header + " header";
        add(responses, "401", "Missing or wrong " + header + " header",
                problem(HttpStatus.UNAUTHORIZED, ProblemTypes.of(HttpStatus.UNAUTHORIZED), "Token required", needed, null));
        add(responses, "403", "A token of the other kind was given",
                problem(HttpStatus.FORBIDDEN, ProblemTypes.of(HttpStatus.FORBIDDEN), "Wrong kind of token", needed, null));
    }

    /**
     * Adds a platform problem response; where the controller declared the code itself (e.g. a 503 of its own on an
     * internal path) the platform's case joins its description and examples, except a 400 or 500, which the
     * controller's description covers.
     */
    private static void add(ApiResponses responses, String code, String description,
            Map<String, Object> example) {
        Example platform = new Example().summary(description).value(example);
        ApiResponse declared = responses.get(code);
        if (declared == null) {
            responses.addApiResponse(code, new ApiResponse().description(description).content(new Content()
                    .addMediaType(PROBLEM_JSON, new MediaType().schema(problemRef()).addExamples("platform", platform))));
            return;
        }
        if (code.equals("400") || code.equals("500") || declared.getDescription().contains(description)) {
            return;
        }
        declared.setDescription(declared.getDescription() + "; or: " + description);
        declared.getContent().get(PROBLEM_JSON).addExamples("platform", platform);
    }

    /** A controller's error response: its body is the problem detail only, with an example made from its description. */
    private static void asProblem(String code, ApiResponse response, String path) {
        MediaType media = response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON);
        if (media == null) {
            media = new MediaType();
        }
        media.setSchema(problemRef());
        response.setContent(new Content().addMediaType(PROBLEM_JSON, media));
        if (media.getExample() == null && (media.getExamples() == null || media.getExamples().isEmpty())) {
            HttpStatus status = HttpStatus.valueOf(Integer.parseInt(code));
            media.addExamples(GENERIC_EXAMPLE, new Example().summary(response.getDescription()).value(
                    problem(status, null, status.getReasonPhrase(), response.getDescription(), path)));
        }
    }

    /** The 400 example: a parameter of the wrong type or shape, else a body that is not JSON. */
    private static Map<String, Object> badInput(Parameter parameter, String path) {
        if (parameter == null) {
            return problem(HttpStatus.BAD_REQUEST, null, "Bad request",
                    "unreadable JSON body: Unexpected end-of-input: expected close marker for Object", path);
        }
        String type = type(parameter.getSchema());
        String value = "integer".equals(type) || "number".equals(type) ? "ten" : "?";
        String message = "integer".equals(type) ? "must be an integer, not 'ten'"
                : "number".equals(type) ? "must be a number, not 'ten'"
                : parameter.getSchema() != null && parameter.getSchema().getEnum() != null
                        ? "must be one of " + parameter.getSchema().getEnum() + ", not '?'"
                        : parameter.getSchema() != null && parameter.getSchema().getPattern() != null
                                ? "must match \"" + parameter.getSchema().getPattern() + "\""
                                : "is required";
        String rule = message.startsWith("must match") ? "Pattern" : message.equals("is required") ? "NotNull" : "type";
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", parameter.getName());
        error.put("rule", rule);
        error.put("message", message);
        if (rule.equals("Pattern")) {
            error.put("rejectedValue", value);
        }
        Map<String, Object> problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Validation failed",
                "invalid request: '" + parameter.getName() + "' " + message, path);
        problem.put("errors", List.of(error));
        return problem;
    }

    /**
     * A problem detail as it is written: {@code type} null for {@code about:blank}, which Spring leaves out;
     * {@code path} null where the security filters answer, which name no instance.
     */
    static Map<String, Object> problem(HttpStatus status, URI type, String title, String detail, String path) {
        Map<String, Object> problem = new LinkedHashMap<>();
        if (type != null) {
            problem.put("type", type.toString());
        }
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        if (path != null) {
            problem.put("instance", path);
        }
        return problem;
    }

    @SuppressWarnings("rawtypes")
    static Schema problemRef() {
        return new Schema<>().$ref("#/components/schemas/" + OpenApiConfig.PROBLEM);
    }

    /** The schema's type, in an OpenAPI 3.0 or 3.1 document. */
    @SuppressWarnings("rawtypes")
    private static String type(Schema schema) {
        if (schema == null) {
            return null;
        }
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getTypes() == null || schema.getTypes().isEmpty() ? null
                : String.valueOf(schema.getTypes().iterator().next());
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    /**
     * Whether the operation hands on another node's answer as it came (the console's reads and buttons): it is written
     * as that node's JSON whatever {@code Accept} says, so there is no 406. The console's event stream is its own.
     */
    private static boolean passesAnswerOn(String path) {
        return path.startsWith("/admin/console/") || path.startsWith("/console/api/") && !path.endsWith("/stream");
    }

    /** The media types of the successful answers, in the order the document lists them. */
    private static List<String> successMediaTypes(ApiResponses responses) {
        return responses.entrySet().stream()
                .filter(e -> !isError(e.getKey()) && e.getValue().getContent() != null)
                .flatMap(e -> e.getValue().getContent().keySet().stream())
                .distinct()
                .toList();
    }

    private static boolean answersWithBody(ApiResponses responses) {
        return responses.entrySet().stream().anyMatch(e -> !isError(e.getKey())
                && e.getValue().getContent() != null && !e.getValue().getContent().isEmpty());
    }

    /** Whether the platform can refuse this parameter with a 400: it is typed, constrained, or required. */
    @SuppressWarnings("rawtypes")
    private static boolean refusable(Parameter parameter) {
        if (Boolean.TRUE.equals(parameter.getRequired()) && !"path".equals(parameter.getIn())) {
            return true;
        }
        Schema schema = parameter.getSchema();
        if (schema == null) {
            return false;
        }
        return !"string".equals(type(schema)) || schema.getPattern() != null || schema.getMaxLength() != null
                || schema.getEnum() != null || "Idempotency-Key".equals(parameter.getName());
    }
}
