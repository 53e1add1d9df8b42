package io.dtxlab.platform.openapi;

import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.security.TokenHeaders;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String CLUSTER_SCHEME = "clusterToken";
    static final String ADMIN_SCHEME = "adminToken";
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI labOpenApi(LabProperties properties) {
        String service = properties.node().role().module();
        return new OpenAPI()
                .info(new Info()
                        .title("dtx-lab " + service + " API (node " + properties.node().id() + ")")
                        .version("0.1.0")
                        .description(description(properties)))
                .components(new Components()
                        .addSecuritySchemes(CLUSTER_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name(TokenHeaders.CLUSTER_TOKEN)
                                .description("Cluster token, for /internal/** (calls between our services). "
                                        + "With ./dtx: $(./dtx token cluster)"))
                        .addSecuritySchemes(ADMIN_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name(TokenHeaders.ADMIN_TOKEN)
                                .description("Admin token, for /admin/** (fault injection, node control). "
                                        + "With ./dtx: $(./dtx token admin)"))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    /** Adds the security requirement of internal and admin paths and the error responses to every operation. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
            boolean hasInput = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty());
            if (hasInput) {
                responses.putIfAbsent("400", problem("Invalid input: the problem's 'errors' name each field and rule"));
            }
            if (path.startsWith("/internal/")) {
                secure(op, responses, CLUSTER_SCHEME, TokenHeaders.CLUSTER_TOKEN);
            } else if (path.startsWith("/admin/")) {
                secure(op, responses, ADMIN_SCHEME, TokenHeaders.ADMIN_TOKEN);
            }
            responses.putIfAbsent("500", problem("Unexpected error, or an injected ERROR fault"));
            op.setResponses(responses);
        }));
    }

    private static void secure(Operation op, ApiResponses responses, String scheme, String header) {
        op.addSecurityItem(new SecurityRequirement().addList(scheme));
        responses.putIfAbsent("401", problem("Missing or wrong " + header + " header"));
        responses.putIfAbsent("403", problem("A token of the other kind was given"));
    }

    static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem detail")
                .properties(Map.of(
                        "type", new StringSchema().description("URI naming the kind of problem"),
                        "title", new StringSchema().description("Short summary of the kind of problem"),
                        "status", new IntegerSchema().description("HTTP status"),
                        "detail", new StringSchema().description("What went wrong, for a person"),
                        "instance", new StringSchema().description("The request path"),
                        "errors", new Schema<>().type("array").description("Validation errors: field, rule, message")));
    }

    private static String description(LabProperties properties) {
        return "Node **" + properties.node().id() + "** (" + properties.node().role().name().toLowerCase(Locale.ROOT)
                + ") of the distributed-transactions lab. Business endpoints are open; /internal/** needs the cluster "
                + "token and /admin/** the admin token: use the Authorize button. Errors are RFC 9457 problem details.";
    }
}
