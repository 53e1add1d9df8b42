package io.dtxlab.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Membership;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.cluster.Topology;

/**
 * Cross-checks the container deployment ({@code docker-compose.yml}, {@code Dockerfile},
 * {@code .dockerignore} at the repository root) against the code: the topology of
 * {@link Topology#defaults()}, the Maven modules and the configuration properties the services
 * really declare. Each test is named after the rule it checks.
 */
class ComposeFileTest {

    private static final Topology TOPOLOGY = Topology.defaults();
    private static final String KAFKA = Topology.KAFKA;

    /** Environment variables a node may set that are read by the JVM, not bound to Spring properties. */
    private static final Set<String> JVM_ENVIRONMENT_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /** The service contract: what every node is configured with. */
    private static final List<String> CONTRACT = List.of(
            "DTX_NODE_ID", "SERVER_PORT", "DTX_DATA_DIR", "DTX_CLUSTER_MEMBERS",
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "DTX_SECURITY_CLUSTER_TOKEN", "DTX_SECURITY_ADMIN_TOKEN");

    private static Path root;
    private static ComposeFile compose;

    @BeforeAll
    static void loadComposeFile() throws IOException {
        root = ComposeFile.repoRoot();
        Path file = root.resolve(ComposeFile.FILE_NAME);
        assertThat(file).as("the compose file at the repository root").isRegularFile();
        compose = ComposeFile.load(file);
    }

    // ---------------------------------------------------------------------------------------------
    // Topology
    // ---------------------------------------------------------------------------------------------

    @Test
    void everyTopologyNodeIsAComposeServiceWithItsPortIdAndModule() {
        SoftAssertions softly = new SoftAssertions();
        for (ClusterNode node : TOPOLOGY.nodes()) {
            Optional<ComposeFile.Service> found = compose.service(node.id());
            softly.assertThat(found).as("compose service for node %s", node.id()).isPresent();
            if (found.isEmpty()) {
                continue;
            }
            ComposeFile.Service service = found.get();
            String port = String.valueOf(node.port());
            softly.assertThat(service.ports())
                    .as("%s publishes its port 1:1 (%s:%s)", node.id(), port, port)
                    .contains(new ComposeFile.PortMapping(port, port));
            Map<String, String> env = service.environment();
            softly.assertThat(env.get("DTX_NODE_ID")).as("DTX_NODE_ID of %s", node.id()).isEqualTo(node.id());
            softly.assertThat(env.get("SERVER_PORT")).as("SERVER_PORT of %s", node.id()).isEqualTo(port);
            String module = node.role().module();
            softly.assertThat(service.buildArgs().get("MODULE")).as("build.args.MODULE of %s", node.id()).isEqualTo(module);
            softly.assertThat(root.resolve(module).resolve("pom.xml"))
                    .as("module %s of node %s is a Maven module", module, node.id())
                    .isRegularFile();
        }
        softly.assertAll();
    }

    @Test
    void everyServiceBuiltFromThisRepositoryIsATopologyNode() {
        Set<String> nodeIds = TOPOLOGY.nodes().stream().map(ClusterNode::id).collect(Collectors.toSet());
        for (String name : compose.serviceNames()) {
            ComposeFile.Service service = compose.service(name).orElseThrow();
            if (service.buildArgs().containsKey("MODULE") || service.buildContext().isPresent()) {
                assertThat(nodeIds)
                        .as("service %s is built from this repository but is no node of Topology.defaults()", name)
                        .contains(name);
            }
        }
    }

    @Test
    void everyNodeIsBuiltFromTheRootDockerfileWithAnImageNamePerModule() {
        SoftAssertions softly = new SoftAssertions();
        Map<String, Set<String>> imagesByModule = new LinkedHashMap<>();
        for (ClusterNode node : TOPOLOGY.nodes()) {
            compose.service(node.id()).ifPresent(service -> {
                softly.assertThat(service.buildContext())
                        .as("build.context of %s is the repository root", node.id())
                        .hasValueSatisfying(ctx -> assertThat(root.resolve(ctx).normalize()).isEqualTo(root));
                softly.assertThat(service.dockerfile().orElse("Dockerfile"))
                        .as("%s is built with the root Dockerfile", node.id()).isEqualTo("Dockerfile");
                softly.assertThat(service.image()).as("image name of %s", node.id()).isPresent();
                service.image().ifPresent(image -> imagesByModule
                        .computeIfAbsent(node.role().module(), m -> new TreeSet<>()).add(image));
            });
        }
        imagesByModule.forEach((module, images) ->
                softly.assertThat(images).as("the nodes of %s share one image", module).hasSize(1));
        List<String> allImages = imagesByModule.values().stream().flatMap(Set::stream).toList();
        softly.assertThat(allImages).as("each module has its own image").doesNotHaveDuplicates();
        softly.assertAll();
    }

    @Test
    void kafkaIsAnApacheKafka41KraftBrokerPublishingItsPortAndAdvertisingItsServiceName() {
        ComposeFile.Service kafka = compose.service(KAFKA).orElse(null);
        assertThat(kafka).as("compose service %s", KAFKA).isNotNull();
        String port = String.valueOf(Topology.KAFKA_PORT);
        assertThat(kafka.image()).as("kafka image").hasValueSatisfying(image ->
                assertThat(image).matches("apache/kafka:4\\.1\\.\\d+"));
        assertThat(kafka.ports()).as("kafka publishes %s:%s", port, port).contains(new ComposeFile.PortMapping(port, port));
        Map<String, String> env = kafka.environment();
        assertThat(env.get("KAFKA_PROCESS_ROLES")).as("KRaft combined mode").contains("broker").contains("controller");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS"))
                .as("the broker advertises %s:%s, the address the nodes are given", KAFKA, port)
                .contains("://" + KAFKA + ":" + port);
        assertThat(kafka.healthcheckTest()).as("kafka healthcheck").isPresent();
    }

    // ---------------------------------------------------------------------------------------------
    // Service contract
    // ---------------------------------------------------------------------------------------------

    @Test
    void everyNodeGetsTheWholeServiceContract() {
        SoftAssertions softly = new SoftAssertions();
        for (ComposeFile.Service service : nodeServices()) {
            Map<String, String> env = service.environment();
            for (String variable : CONTRACT) {
                softly.assertThat(env.get(variable)).as("%s of %s", variable, service.name()).isNotBlank();
            }
            softly.assertThat(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                    .as("SPRING_KAFKA_BOOTSTRAP_SERVERS of %s", service.name())
                    .isEqualTo(KAFKA + ":" + Topology.KAFKA_PORT);
        }
        softly.assertAll();
    }

    @Test
    void clusterMembersOfEveryNodeListExactlyAllNodesAtTheirServiceNames() {
        Map<String, String> expected = new LinkedHashMap<>();
        TOPOLOGY.nodes().forEach(node -> expected.put(node.id(), node.url(node.id())));
        SoftAssertions softly = new SoftAssertions();
        for (ComposeFile.Service service : nodeServices()) {
            String members = service.environment().get("DTX_CLUSTER_MEMBERS");
            if (members == null) {
                softly.fail("%s has no DTX_CLUSTER_MEMBERS", service.name());
                continue;
            }
            Map<String, String> actual;
            try {
                actual = Membership.parse(members).asMap();
            } catch (IllegalArgumentException e) {
                softly.fail("DTX_CLUSTER_MEMBERS of %s does not parse: %s", service.name(), e.getMessage());
                continue;
            }
            softly.assertThat(actual).as("DTX_CLUSTER_MEMBERS of %s", service.name())
                    .containsExactlyInAnyOrderEntriesOf(expected);
            softly.assertThat(members.split(",")).as("DTX_CLUSTER_MEMBERS of %s, entry count", service.name())
                    .hasSize(expected.size());
        }
        softly.assertAll();
    }

    @Test
    void tokensComeFromTheHostEnvironmentWithDefaults() {
        Pattern fromHost = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?-[^}]+\\}");
        SoftAssertions softly = new SoftAssertions();
        for (ComposeFile.Service service : nodeServices()) {
            Map<String, String> raw = service.rawEnvironment();
            for (String token : List.of("DTX_SECURITY_CLUSTER_TOKEN", "DTX_SECURITY_ADMIN_TOKEN")) {
                softly.assertThat(raw.get(token))
                        .as("%s of %s is ${HOST_VARIABLE:-default}, not a literal secret", token, service.name())
                        .isNotNull()
                        .matches(fromHost);
            }
        }
        softly.assertAll();
    }

    @Test
    void everyEnvironmentVariableOfANodeMapsToADeclaredSpringProperty() {
        SpringConfigurationMetadata metadata =
                SpringConfigurationMetadata.fromClasspath(Thread.currentThread().getContextClassLoader());
        assertThat(metadata.propertyNames())
                .as("configuration metadata found on the test classpath (%s)", metadata.sources())
                .contains("server.port", "spring.kafka.bootstrap-servers");

        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (ComposeFile.Service service : nodeServices()) {
            for (String variable : service.rawEnvironment().keySet()) {
                if (!JVM_ENVIRONMENT_VARIABLES.contains(variable) && metadata.propertyFor(variable).isEmpty()) {
                    unknown.computeIfAbsent(variable, v -> new ArrayList<>()).add(service.name());
                }
            }
        }
        if (!unknown.isEmpty()) {
            String details = unknown.entrySet().stream()
                    .map(e -> e.getKey() + " (set on " + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining("\n  "));
            fail("environment variables set in %s that match no declared Spring property "
                            + "(upper case, '.' -> '_', '-' dropped or '_'), searched %d properties in %d %s files:%n  %s",
                    ComposeFile.FILE_NAME, metadata.propertyNames().size(), metadata.sources().size(),
                    SpringConfigurationMetadata.METADATA_FILES, details);
        }
    }

    @Test
    void springEnvironmentFormsFollowRelaxedBinding() {
        assertThat(SpringConfigurationMetadata.environmentForms("spring.kafka.bootstrap-servers"))
                .containsExactlyInAnyOrder("SPRING_KAFKA_BOOTSTRAPSERVERS", "SPRING_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(SpringConfigurationMetadata.environmentForms("dtx.node.id")).containsExactly("DTX_NODE_ID");
    }

    // ---------------------------------------------------------------------------------------------
    // Health, start order, data
    // ---------------------------------------------------------------------------------------------

    @Test
    void everyNodeHasAHealthcheckAndWaitsForAHealthyKafka() {
        SoftAssertions softly = new SoftAssertions();
        for (ComposeFile.Service service : nodeServices()) {
            softly.assertThat(service.healthcheckTest()).as("healthcheck of %s", service.name())
                    .hasValueSatisfying(test -> assertThat(test).contains("/actuator/health"));
            softly.assertThat(service.dependsOn()).as("depends_on of %s", service.name())
                    .containsEntry(KAFKA, "service_healthy");
        }
        softly.assertAll();
    }

    @Test
    void everyNodeKeepsItsDataDirOnItsOwnDeclaredNamedVolume() {
        Set<String> declared = compose.declaredVolumes();
        Map<String, String> volumeOwner = new LinkedHashMap<>();
        SoftAssertions softly = new SoftAssertions();
        for (ComposeFile.Service service : nodeServices()) {
            String dataDir = service.environment().get("DTX_DATA_DIR");
            if (dataDir == null || dataDir.isBlank()) {
                softly.fail("%s has no DTX_DATA_DIR", service.name());
                continue;
            }
            Optional<ComposeFile.Mount> mount = service.volumes().stream()
                    .filter(m -> dataDir.equals(m.target()))
                    .findFirst();
            softly.assertThat(mount).as("%s mounts a volume at its DTX_DATA_DIR %s", service.name(), dataDir)
                    .hasValueSatisfying(m -> {
                        assertThat(m.type()).as("mount type").isEqualTo("volume");
                        assertThat(m.source()).as("a named volume, not an anonymous one").isNotBlank();
                    });
            mount.map(ComposeFile.Mount::source).ifPresent(source -> {
                String other = volumeOwner.putIfAbsent(source, service.name());
                softly.assertThat(other).as("volume %s of %s is also the data volume of %s", source, service.name(), other)
                        .isNull();
            });
        }
        for (String name : compose.serviceNames()) {
            for (ComposeFile.Mount mount : compose.service(name).orElseThrow().volumes()) {
                if ("volume".equals(mount.type()) && mount.source() != null) {
                    softly.assertThat(declared).as("named volume %s of %s is declared under top-level volumes", mount.source(), name)
                            .contains(mount.source());
                }
            }
        }
        softly.assertAll();
    }

    // ---------------------------------------------------------------------------------------------
    // Dockerfile, .dockerignore and the jar they rely on
    // ---------------------------------------------------------------------------------------------

    @Test
    void dockerfileHasABuildAndARuntimeStageThatCopiesTheModulesExecJar() throws IOException {
        List<String> instructions = dockerfileInstructions();
        assertThat(instructions).as("Dockerfile declares ARG MODULE")
                .anyMatch(i -> i.matches("(?i)ARG\\s+MODULE(=.*)?"));

        List<Integer> froms = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).matches("(?i)FROM\\s+.*")) {
                froms.add(i);
            }
        }
        assertThat(froms).as("FROM stages (multi-stage build)").hasSizeGreaterThanOrEqualTo(2);

        List<String> runtime = instructions.subList(froms.get(froms.size() - 1), instructions.size());
        List<String> build = instructions.subList(froms.get(0), froms.get(froms.size() - 1));
        assertThat(runtime.get(0)).as("runtime stage base image").containsIgnoringCase("eclipse-temurin:17-jre");
        assertThat(build).as("a build stage packages the module with the Maven wrapper")
                .anyMatch(i -> i.matches("(?is)RUN\\s.*\\./mvnw\\s.*-pl\\s+\"?\\$\\{?MODULE}?\"?.*\\s-am\\s.*package.*"));
        assertThat(runtime).as("the runtime stage redeclares ARG MODULE (build args are per stage)")
                .anyMatch(i -> i.matches("(?i)ARG\\s+MODULE(=.*)?"));
        assertThat(runtime).as("the runtime stage copies ${MODULE}/target/${MODULE}-exec.jar from the build stage")
                .anyMatch(i -> i.matches("(?i)COPY\\s+(--\\S+\\s+)*--from=\\S+\\s+(--\\S+\\s+)*\\S*"
                        + "\\$\\{?MODULE}?/target/\\$\\{?MODULE}?-exec\\.jar\\s+\\S+"));
        assertThat(runtime).as("the runtime stage runs as a non-root user")
                .anyMatch(i -> i.matches("(?i)USER\\s+(?!root\\b)(?!0\\b)\\S+"));
        assertThat(runtime).as("the runtime stage's ENTRYPOINT runs java with a container-aware heap")
                .anyMatch(i -> i.matches("(?i)ENTRYPOINT\\s.*java.*MaxRAMPercentage.*"));
    }

    @Test
    void theJarTheDockerfileCopiesIsTheOneMavenBuilds() throws Exception {
        Document rootPom = parse(root.resolve("pom.xml"));
        var xpath = XPathFactory.newInstance().newXPath();
        NodeList classifiers = (NodeList) xpath.evaluate(
                "//*[local-name()='plugin'][*[local-name()='artifactId']='spring-boot-maven-plugin']"
                        + "//*[local-name()='execution'][*[local-name()='goals']/*[local-name()='goal']='repackage']"
                        + "//*[local-name()='classifier']",
                rootPom, XPathConstants.NODESET);
        assertThat(classifiers.getLength()).as("root pom configures spring-boot repackage with a classifier").isPositive();
        assertThat(classifiers.item(0).getTextContent().trim()).as("repackage classifier").isEqualTo("exec");

        SoftAssertions softly = new SoftAssertions();
        for (String module : TOPOLOGY.nodes().stream().map(n -> n.role().module()).distinct().toList()) {
            Path pom = root.resolve(module).resolve("pom.xml");
            if (!Files.isRegularFile(pom)) {
                softly.fail("no %s", pom);
                continue;
            }
            Document doc = parse(pom);
            String artifactId = xpath.evaluate("/*[local-name()='project']/*[local-name()='artifactId']", doc).trim();
            String finalName = xpath.evaluate(
                    "/*[local-name()='project']/*[local-name()='build']/*[local-name()='finalName']", doc).trim();
            softly.assertThat(artifactId).as("artifactId of module directory %s", module).isEqualTo(module);
            softly.assertThat(finalName).as("finalName of %s (the jar is <module>-exec.jar)", module)
                    .isIn("${project.artifactId}", module);
            softly.assertThat(xpath.evaluate(
                            "count(/*[local-name()='project']/*[local-name()='build']//*[local-name()='plugin']"
                                    + "[*[local-name()='artifactId']='spring-boot-maven-plugin'])", doc))
                    .as("%s applies spring-boot-maven-plugin (its repackage makes the exec jar)", module)
                    .isNotEqualTo("0");
        }
        softly.assertAll();
    }

    @Test
    void dockerignoreKeepsBuildOutputDataAndGitOutOfTheContext() throws IOException {
        Path dockerignore = root.resolve(".dockerignore");
        assertThat(dockerignore).isRegularFile();
        List<String> patterns = Files.readAllLines(dockerignore, StandardCharsets.UTF_8).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.replaceAll("^/+", "").replaceAll("/+$", ""))
                .toList();
        assertThat(patterns).contains("target", "data", ".git");
    }

    @Test
    void everyModuleNamedInTheComposeFileIsARootPomModule() throws Exception {
        Document rootPom = parse(root.resolve("pom.xml"));
        NodeList modules = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                "/*[local-name()='project']/*[local-name()='modules']/*[local-name()='module']",
                rootPom, XPathConstants.NODESET);
        Set<String> declared = new TreeSet<>();
        for (int i = 0; i < modules.getLength(); i++) {
            declared.add(modules.item(i).getTextContent().trim());
        }
        Set<String> used = new TreeSet<>();
        for (String name : compose.serviceNames()) {
            String module = compose.service(name).orElseThrow().buildArgs().get("MODULE");
            if (module != null) {
                used.add(module);
            }
        }
        assertThat(declared).as("modules of the root pom").containsAll(used);
        assertThat(used).as("every role's module is deployed")
                .containsAll(Stream.of(NodeRole.values()).map(NodeRole::module).toList());
    }

    // ---------------------------------------------------------------------------------------------
    // Compose itself
    // ---------------------------------------------------------------------------------------------

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        List<String> command = composeCommand();
        Assumptions.assumeTrue(command != null, "neither docker-compose nor `docker compose` is on the PATH");
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-f", compose.file().toString(), "config", "-q"));
        Path output = Files.createTempFile("compose-config", ".log");
        try {
            Process process = new ProcessBuilder(full)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within 120 s", String.join(" ", full));
            }
            assertThat(process.exitValue())
                    .as("%s said:%n%s", String.join(" ", full), Files.readString(output))
                    .isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static List<ComposeFile.Service> nodeServices() {
        List<ComposeFile.Service> services = compose.services(TOPOLOGY.nodes().stream().map(ClusterNode::id).toList());
        assertThat(services).as("compose services for the topology's nodes").isNotEmpty();
        return services;
    }

    /** The Dockerfile's instructions, one per element: comments dropped, continuation lines joined. */
    private static List<String> dockerfileInstructions() throws IOException {
        Path dockerfile = root.resolve("Dockerfile");
        assertThat(dockerfile).isRegularFile();
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                instructions.add(current.toString().trim().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().trim().replaceAll("\\s+", " "));
        }
        return instructions;
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    /** {@code docker-compose} (v1) or {@code docker compose} (v2), whichever answers {@code version}; null if none. */
    private static List<String> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            if (onPath(candidate.get(0)) && answers(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, executable))
                .anyMatch(Files::isExecutable);
    }

    private static boolean answers(List<String> command) {
        List<String> full = new ArrayList<>(command);
        full.add("version");
        try {
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
