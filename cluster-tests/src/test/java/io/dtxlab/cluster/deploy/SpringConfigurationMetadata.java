package io.dtxlab.cluster.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every configuration property the classpath declares, read from the
 * {@code META-INF/spring-configuration-metadata.json} and
 * {@code META-INF/additional-spring-configuration-metadata.json} files that Spring Boot's
 * configuration processor writes (Boot's own modules, and service-platform's {@code dtx.*}
 * {@code @ConfigurationProperties}), so an environment variable can be traced to the property it sets.
 */
final class SpringConfigurationMetadata {

    static final List<String> METADATA_FILES = List.of(
            "META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json");

    /** Property name to its declared type (may be null). */
    private final Map<String, String> properties;
    private final List<URL> sources;

    private SpringConfigurationMetadata(Map<String, String> properties, List<URL> sources) {
        this.properties = Collections.unmodifiableMap(properties);
        this.sources = List.copyOf(sources);
    }

    static SpringConfigurationMetadata fromClasspath(ClassLoader classLoader) {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, String> properties = new TreeMap<>();
        List<URL> sources = new ArrayList<>();
        try {
            for (String file : METADATA_FILES) {
                Enumeration<URL> urls = classLoader.getResources(file);
                while (urls.hasMoreElements()) {
                    URL url = urls.nextElement();
                    sources.add(url);
                    try (InputStream in = url.openStream()) {
                        JsonNode root = mapper.readTree(in);
                        for (JsonNode property : root.path("properties")) {
                            String name = property.path("name").asString(null);
                            if (name != null && !name.isBlank()) {
                                String type = property.path("type").asString(null);
                                properties.merge(name, type == null ? "" : type, (a, b) -> a.isEmpty() ? b : a);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SpringConfigurationMetadata(properties, sources);
    }

    Set<String> propertyNames() {
        return properties.keySet();
    }

    List<URL> sources() {
        return sources;
    }

    /**
     * The property an environment variable sets, if any: the variable must be one of Spring's
     * environment forms of the property (see {@link #environmentForms}), or, for a
     * {@code Map}-typed property, such a form followed by {@code _} and a key.
     */
    Optional<String> propertyFor(String environmentVariable) {
        for (Map.Entry<String, String> property : properties.entrySet()) {
            Set<String> forms = environmentForms(property.getKey());
            if (forms.contains(environmentVariable)) {
                return Optional.of(property.getKey());
            }
            String type = property.getValue();
            if (type != null && type.startsWith("java.util.Map<")) {
                for (String form : forms) {
                    if (environmentVariable.startsWith(form + "_") && environmentVariable.length() > form.length() + 1) {
                        return Optional.of(property.getKey() + ".*");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Spring's environment-variable forms of a property name: upper case, {@code .} becomes
     * {@code _}, and {@code -} is either dropped (the canonical form Spring binds, e.g.
     * {@code SPRING_KAFKA_BOOTSTRAPSERVERS}) or also turned into {@code _}
     * ({@code SPRING_KAFKA_BOOTSTRAP_SERVERS}, which Spring's relaxed binding accepts too).
     */
    static Set<String> environmentForms(String propertyName) {
        String upper = propertyName.toUpperCase(Locale.ROOT).replace('.', '_');
        Set<String> forms = new LinkedHashSet<>();
        forms.add(upper.replace("-", ""));
        forms.add(upper.replace('-', '_'));
        return forms;
    }
}
