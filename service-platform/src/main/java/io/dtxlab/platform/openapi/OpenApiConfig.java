package io.dtxlab.platform.openapi;

import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.security.TokenHeaders;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
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
                                        + "With ./dtx: $(./dtx token admin)")));
    }

    /**
     * Completes the document: first the platform's problem responses and security on every operation
     * ({@link ProblemResponses}), then the service's tag order and examples ({@link ServiceDocument}), which replace
     * the examples made from descriptions.
     */
    @Bean
    OpenApiCustomizer labDocument(LabProperties properties) {
        ProblemResponses problems = new ProblemResponses();
        ServiceDocument service = ServiceDocument.of(properties.node().role().module());
        return openApi -> {
            // here, not in the bean above: springdoc drops the schemas no operation refers to before customizers run
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            problems.customise(openApi);
            service.customise(openApi);
        };
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem detail (application/problem+json). Some kinds carry more members, "
                        + "named in their descriptions: e.g. leader (not-leader), peer and outcome (peer-unreachable), "
                        + "faultPoint (injected-fault), master and epoch (replication)")
                .properties(Map.of(
                        "type", new StringSchema().description("URI naming the kind of problem"),
                        "title", new StringSchema().description("Short summary of the kind of problem"),
                        "status", new IntegerSchema().description("HTTP status"),
                        "detail", new StringSchema().description("What went wrong, for a person"),
                        "instance", new StringSchema().description("The request path"),
                        "errors", new ArraySchema().description("Validation problems only: each field refused, "
                                + "the rule it broke (Bean Validation's constraint, or 'type' for a value of the "
                                + "wrong type) and why").items(new ObjectSchema().properties(Map.of(
                                        "field", new StringSchema().description("The field's path, e.g. "
                                                + "items[3].sku, or the parameter's name"),
                                        "rule", new StringSchema().example("Positive"),
                                        "message", new StringSchema().example("must be greater than 0"),
                                        "rejectedValue", new StringSchema().description("The value refused, "
                                                + "as text, when there was one"))))))
                .additionalProperties(Boolean.TRUE);
    }

    private static String description(LabProperties properties) {
        return "Node **" + properties.node().id() + "** (" + properties.node().role().name().toLowerCase(Locale.ROOT)
                + ") of the distributed-transactions lab. Business endpoints are open; /internal/** needs the cluster "
                + "token and /admin/** the admin token: use the Authorize button. Errors are RFC 9457 problem details.";
    }
}
