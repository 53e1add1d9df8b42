package io.dtxlab.cluster.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A read-only view of the repository's {@code docker-compose.yml}, just deep enough for the
 * deployment cross-checks: services, their environment, ports, volumes, healthcheck, depends_on
 * and build. Both the short and the long Compose syntaxes are understood, YAML anchors and merge
 * keys are resolved by SnakeYAML, and {@code ${VAR:-default}} is interpolated with its default
 * (never with this machine's environment, so the checks do not depend on who runs them).
 */
final class ComposeFile {

    static final String FILE_NAME = "docker-compose.yml";

    private static final Pattern VARIABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", Pattern.DOTALL);
    private static final Pattern BARE_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path file;
    private final Map<String, Object> root;

    private ComposeFile(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    /** The repository root: the nearest directory, from the working directory up, with the Maven wrapper and a pom.xml. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isRegularFile(d.resolve("pom.xml"))
                    && Files.isDirectory(d.resolve("protocol-core"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (mvnw + pom.xml + protocol-core/) above " + dir);
    }

    static ComposeFile load(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        // Compose v2 rejects duplicate keys; so do we, rather than silently keeping the last one.
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object loaded = yaml.load(reader);
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new IllegalStateException(file + " is not a YAML mapping");
            }
            return new ComposeFile(file, stringKeys(map, file.toString()));
        }
    }

    Path file() {
        return file;
    }

    Set<String> serviceNames() {
        return new TreeSet<>(services().keySet());
    }

    Optional<Service> service(String name) {
        Object raw = services().get(name);
        return raw == null ? Optional.empty() : Optional.of(new Service(name, stringKeys((Map<?, ?>) raw, name)));
    }

    List<Service> services(Iterable<String> names) {
        List<Service> result = new ArrayList<>();
        names.forEach(n -> service(n).ifPresent(result::add));
        return result;
    }

    /** Names declared under the top-level {@code volumes:}. */
    Set<String> declaredVolumes() {
        Object volumes = root.get("volumes");
        return volumes instanceof Map<?, ?> map ? new TreeSet<>(stringKeys(map, "volumes").keySet()) : Set.of();
    }

    private Map<String, Object> services() {
        Object services = root.get("services");
        if (!(services instanceof Map<?, ?> map)) {
            throw new IllegalStateException(file + " has no services: mapping");
        }
        return stringKeys(map, "services");
    }

    /**
     * Compose interpolation with defaults only: {@code ${VAR:-default}} and {@code ${VAR-default}}
     * become the default, {@code ${VAR}}, {@code ${VAR:?err}} and {@code $VAR} become empty, and
     * {@code $$} is a literal {@code $}.
     */
    static String interpolate(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 == value.length()) {
                out.append(c);
                i++;
            } else if (value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (value.charAt(i + 1) == '{') {
                int depth = 1;
                int j = i + 2;
                while (j < value.length() && depth > 0) {
                    char d = value.charAt(j);
                    depth += d == '{' ? 1 : d == '}' ? -1 : 0;
                    j++;
                }
                if (depth != 0) {
                    throw new IllegalArgumentException("unclosed ${ in: " + value);
                }
                String inner = value.substring(i + 2, j - 1);
                Matcher m = VARIABLE.matcher(inner);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad interpolation ${" + inner + "} in: " + value);
                }
                String operator = m.group(2);
                if (operator != null && operator.endsWith("-")) {
                    out.append(interpolate(m.group(3)));
                }
                i = j;
            } else {
                Matcher m = BARE_VARIABLE.matcher(value).region(i + 1, value.length());
                if (m.lookingAt()) {
                    i = m.end();
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** One service of the compose file. */
    record Service(String name, Map<String, Object> raw) {

        /** The environment, list or map form, raw (uninterpolated) values; a bare {@code - NAME} maps to null. */
        Map<String, String> rawEnvironment() {
            return keyValues(raw.get("environment"), "environment of " + name);
        }

        /** The environment with every value interpolated with its defaults. */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            rawEnvironment().forEach((k, v) -> env.put(k, interpolate(v)));
            return env;
        }

        Optional<String> image() {
            return Optional.ofNullable(raw.get("image")).map(Object::toString).map(ComposeFile::interpolate);
        }

        /** {@code build.args}, list or map form, interpolated; empty if the service is not built. */
        Map<String, String> buildArgs() {
            Object build = raw.get("build");
            if (!(build instanceof Map<?, ?> map)) {
                return Map.of();
            }
            Map<String, String> args = new LinkedHashMap<>();
            keyValues(map.get("args"), "build.args of " + name).forEach((k, v) -> args.put(k, interpolate(v)));
            return args;
        }

        /** {@code build.context} or the short {@code build: <context>}; empty if the service is not built. */
        Optional<String> buildContext() {
            Object build = raw.get("build");
            if (build instanceof Map<?, ?> map) {
                return Optional.ofNullable(map.get("context")).map(Object::toString).map(ComposeFile::interpolate);
            }
            return Optional.ofNullable(build).map(Object::toString).map(ComposeFile::interpolate);
        }

        Optional<String> dockerfile() {
            Object build = raw.get("build");
            if (build instanceof Map<?, ?> map && map.get("dockerfile") != null) {
                return Optional.of(interpolate(map.get("dockerfile").toString()));
            }
            return Optional.empty();
        }

        /** Published ports, short ({@code "[ip:]8081:8081[/tcp]"}) or long ({@code target/published}) syntax. */
        List<PortMapping> ports() {
            Object ports = raw.get("ports");
            List<PortMapping> result = new ArrayList<>();
            if (!(ports instanceof List<?> list)) {
                return result;
            }
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map) {
                    Object target = map.get("target");
                    Object published = map.get("published");
                    result.add(new PortMapping(
                            published == null ? null : interpolate(published.toString()),
                            target == null ? null : interpolate(target.toString())));
                } else {
                    String spec = interpolate(entry.toString());
                    int slash = spec.indexOf('/');
                    if (slash >= 0) {
                        spec = spec.substring(0, slash);
                    }
                    int colon = spec.lastIndexOf(':');
                    if (colon < 0) {
                        result.add(new PortMapping(null, spec));
                    } else {
                        String host = spec.substring(0, colon);
                        int hostColon = host.lastIndexOf(':');
                        result.add(new PortMapping(hostColon < 0 ? host : host.substring(hostColon + 1),
                                spec.substring(colon + 1)));
                    }
                }
            }
            return result;
        }

        /** Mounts, short ({@code "source:/target[:mode]"}) or long ({@code type/source/target}) syntax. */
        List<Mount> volumes() {
            Object volumes = raw.get("volumes");
            List<Mount> result = new ArrayList<>();
            if (!(volumes instanceof List<?> list)) {
                return result;
            }
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map) {
                    Object type = map.get("type");
                    Object source = map.get("source");
                    Object target = map.get("target");
                    result.add(new Mount(
                            type == null ? "volume" : type.toString(),
                            source == null ? null : interpolate(source.toString()),
                            target == null ? null : interpolate(target.toString())));
                } else {
                    String[] parts = interpolate(entry.toString()).split(":");
                    if (parts.length == 1) {
                        result.add(new Mount("volume", null, parts[0])); // anonymous volume
                    } else {
                        String source = parts[0];
                        boolean bind = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
                        result.add(new Mount(bind ? "bind" : "volume", source, parts[1]));
                    }
                }
            }
            return result;
        }

        /** {@code depends_on}: service name to condition ({@code service_started} for the list form). */
        Map<String, String> dependsOn() {
            Object dependsOn = raw.get("depends_on");
            Map<String, String> result = new LinkedHashMap<>();
            if (dependsOn instanceof List<?> list) {
                list.forEach(s -> result.put(s.toString(), "service_started"));
            } else if (dependsOn instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    Object condition = v instanceof Map<?, ?> m ? m.get("condition") : null;
                    result.put(k.toString(), condition == null ? "service_started" : condition.toString());
                });
            }
            return result;
        }

        /** The healthcheck's {@code test} as one string, empty if there is none or it is disabled. */
        Optional<String> healthcheckTest() {
            Object healthcheck = raw.get("healthcheck");
            if (!(healthcheck instanceof Map<?, ?> map) || Boolean.TRUE.equals(map.get("disable"))) {
                return Optional.empty();
            }
            Object test = map.get("test");
            if (test instanceof List<?> list) {
                if (list.isEmpty() || "NONE".equals(String.valueOf(list.get(0)))) {
                    return Optional.empty();
                }
                return Optional.of(String.join(" ", list.stream().map(String::valueOf).toList()));
            }
            return Optional.ofNullable(test).map(Object::toString).filter(s -> !s.isBlank());
        }
    }

    /** One {@code ports:} entry; {@code published} is null when the port is not published. */
    record PortMapping(String published, String target) {
    }

    /** One {@code volumes:} entry of a service. */
    record Mount(String type, String source, String target) {
    }

    private static Map<String, String> keyValues(Object raw, String what) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null) {
            return result;
        }
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(k.toString(), v == null ? null : v.toString()));
        } else if (raw instanceof List<?> list) {
            for (Object entry : list) {
                String s = entry.toString();
                int eq = s.indexOf('=');
                if (eq < 0) {
                    result.put(s, null);
                } else {
                    result.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
        } else {
            throw new IllegalStateException(what + " is neither a mapping nor a list: " + raw);
        }
        return result;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, String what) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalStateException("null key in " + what);
            }
            result.put(k.toString(), v);
        });
        return result;
    }
}
