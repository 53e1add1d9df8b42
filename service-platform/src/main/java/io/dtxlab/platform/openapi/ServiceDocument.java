package io.dtxlab.platform.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a service adds to its OpenAPI document beyond its annotations, from {@code openapi/<module>.json} on its
 * classpath (e.g. {@code openapi/order-service.json}), so that each node reads only its own service's file even
 * where several services share one classpath (the cluster tests):
 *
 * <pre>{@code
 * {
 *   "tags": ["Orders", "Branches", ...],          // the order of the tags, most important first
 *   "include": ["participant-kit"],               // shared modules whose openapi/<module>.json apply too
 *   "examples": {
 *     "POST /orders": {                           // method and path, as in the document
 *       "201": {                                  // a response the operation documents
 *         "confirmed": {"summary": "...", "value": {...}}
 *       }
 *     }
 *   }
 * }
 * }</pre>
 *
 * The examples of the platform's own operations, which every node has, are in {@code openapi/service-platform.json}
 * ({@link #PLATFORM}), read first; then those of the modules the service's file includes (a library of operations
 * several services share, e.g. the participant kit's branches), then the service's own. A later file's example of the
 * same name replaces an earlier one's. Tags the service's file does not name follow the named ones in alphabetical
 * order, then the platform's own tags ({@link #PLATFORM_TAGS}) last. An example goes to the response's first media
 * type ({@code application/json}, or {@code application/problem+json} for an error); one naming an operation or a
 * response the document does not have is logged as a warning and left out.
 */
final class ServiceDocument implements OpenApiCustomizer {

    /** The tags of the platform's own endpoints, the same on every node: after the service's own. */
    static final List<String> PLATFORM_TAGS = List.of("Cluster messages", "Fault injection", "Node control");

    /** The module whose file gives the examples of the platform's own operations, on every node. */
    static final String PLATFORM = "service-platform";

    private static final Logger log = LoggerFactory.getLogger(ServiceDocument.class);

    /** The service's own file. */
    private final JsonNode file;
    /** Every file that gives examples, by resource name, in the order they apply: platform, included, own. */
    private final Map<String, JsonNode> examples;

    private ServiceDocument(JsonNode file, Map<String, JsonNode> examples) {
        this.file = file;
        this.examples = examples;
    }

    /** The file of {@code module} with the platform's and those it includes; an empty one if the service has none. */
    static ServiceDocument of(String module) {
        JsonNode own = read(module);
        Map<String, JsonNode> files = new LinkedHashMap<>();
        files.put(resource(PLATFORM), read(PLATFORM));
        own.path("include").forEach(included -> files.put(resource(included.asString()), read(included.asString())));
        files.put(resource(module), own);
        return new ServiceDocument(own, files);
    }

    private static String resource(String module) {
        return "openapi/" + module + ".json";
    }

    private static JsonNode read(String module) {
        String resource = resource(module);
        ClassPathResource file = new ClassPathResource(resource);
        if (!file.exists()) {
            return JsonMapper.shared().createObjectNode();
        }
        try (InputStream in = file.getInputStream()) {
            return JsonMapper.shared().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    public void customise(OpenAPI openApi) {
        orderTags(openApi);
        examples.forEach((resource, file) -> addExamples(openApi, resource, file));
    }

    private void orderTags(OpenAPI openApi) {
        List<String> named = new ArrayList<>();
        file.path("tags").forEach(tag -> named.add(tag.asString()));
        List<Tag> tags = openApi.getTags() == null ? new ArrayList<>() : new ArrayList<>(openApi.getTags());
        tags.sort(Comparator.comparingInt((Tag tag) -> rank(named, tag.getName()))
                .thenComparing(tag -> tag.getName().toLowerCase(Locale.ROOT)));
        openApi.setTags(tags);
    }

    private static int rank(List<String> named, String tag) {
        int index = named.indexOf(tag);
        if (index >= 0) {
            return index;
        }
        int platform = PLATFORM_TAGS.indexOf(tag);
        return platform >= 0 ? 2 * named.size() + 1 + platform : 2 * named.size();
    }

    private static void addExamples(OpenAPI openApi, String resource, JsonNode file) {
        for (Map.Entry<String, JsonNode> operation : file.path("examples").properties()) {
            Operation op = find(openApi, operation.getKey());
            if (op == null) {
                log.warn("{}: no operation {} in the document; its examples are left out", resource, operation.getKey());
                continue;
            }
            for (Map.Entry<String, JsonNode> response : operation.getValue().properties()) {
                ApiResponse documented = op.getResponses() == null ? null : op.getResponses().get(response.getKey());
                Content content = documented == null ? null : documented.getContent();
                if (content == null || content.isEmpty()) {
                    log.warn("{}: {} documents no {} with a body; its examples are left out", resource,
                            operation.getKey(), response.getKey());
                    continue;
                }
                MediaType media = content.values().iterator().next();
                if (media.getExamples() != null) {
                    media.getExamples().remove(ProblemResponses.GENERIC_EXAMPLE);
                }
                for (Map.Entry<String, JsonNode> example : response.getValue().properties()) {
                    media.addExamples(example.getKey(), new Example()
                            .summary(example.getValue().path("summary").asString(null))
                            .value(JsonMapper.shared().treeToValue(example.getValue().path("value"), Object.class)));
                }
            }
        }
    }

    /** The operation named {@code "METHOD /path"}, or null. */
    private static Operation find(OpenAPI openApi, String name) {
        int space = name.indexOf(' ');
        PathItem item = openApi.getPaths() == null || space < 0 ? null : openApi.getPaths().get(name.substring(space + 1));
        if (item == null) {
            return null;
        }
        PathItem.HttpMethod method;
        try {
            method = PathItem.HttpMethod.valueOf(name.substring(0, space).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return item.readOperationsMap().get(method);
    }
}
