package io.dtxlab.launcher.workspace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings {@code ./dtx up} passed on to its nodes through its environment ({@code DTX_*} and {@code SPRING_*}
 * variables, such as {@code DTX_REPLICATION_FAILOVER=ELECT}), kept in {@code <data>/run/node-environment.properties}.
 * A node that {@code ./dtx start} starts again, or that {@code ./dtx chaos} restarts after a crash, gets them too, so
 * it runs as {@code up} started it whatever the environment of that command: without this, a replica restarted by
 * the nemesis came back with failover WAIT in a cluster started with ELECT, and the slaves never elected again.
 * A variable the command's own environment sets wins.
 */
public final class NodeEnvironment {

    /** The launcher's own variables: they steer the launcher, not the nodes. */
    private static final Set<String> LAUNCHER_ONLY = Set.of("DTX_DATA_DIR", "DTX_NO_BUILD", "DTX_NO_CDS", "DTX_ROOT",
            "DTX_ADMIN_TOKEN");

    private NodeEnvironment() {
    }

    /** The variables of {@code environment} that configure the nodes, sorted. */
    public static Map<String, String> of(Map<String, String> environment) {
        Map<String, String> kept = new TreeMap<>();
        environment.forEach((name, value) -> {
            if ((name.startsWith("DTX_") || name.startsWith("SPRING_")) && !LAUNCHER_ONLY.contains(name)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** Keeps the node settings of {@code environment} (the launcher's, as {@code up} starts). */
    public static void save(Workspace workspace, Map<String, String> environment) throws IOException {
        Files.createDirectories(workspace.runDir());
        Properties properties = new Properties();
        properties.putAll(of(environment));
        try (Writer writer = Files.newBufferedWriter(file(workspace))) {
            properties.store(writer, "the node settings ./dtx up passed on; ./dtx start and ./dtx chaos pass them too");
        }
    }

    /** What {@code up} kept; empty before the first {@code up}. */
    public static Map<String, String> load(Workspace workspace) {
        Path file = file(workspace);
        Map<String, String> saved = new TreeMap<>();
        if (!Files.exists(file)) {
            return saved;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().forEach(name -> saved.put(name, properties.getProperty(name)));
        return saved;
    }

    private static Path file(Workspace workspace) {
        return workspace.runDir().resolve("node-environment.properties");
    }
}
