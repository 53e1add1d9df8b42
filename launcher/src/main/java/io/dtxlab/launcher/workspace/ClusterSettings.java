package io.dtxlab.launcher.workspace;

import io.dtxlab.core.cluster.Topology;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The shape of the cluster {@code ./dtx up} started, kept in {@code <data>/run/cluster.properties} so that
 * {@code status}, {@code start} and friends find the same ports without repeating the options.
 */
public record ClusterSettings(int replicas, int portOffset) {

    public ClusterSettings {
        Topology.of(replicas, portOffset); // validates both, with the topology's own messages
    }

    public Topology topology() {
        return Topology.of(replicas, portOffset);
    }

    public static Optional<ClusterSettings> load(Workspace workspace) {
        Path file = workspace.settingsFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return Optional.of(new ClusterSettings(
                    Integer.parseInt(properties.getProperty("replicas", "" + Topology.DEFAULT_REPLICAS).trim()),
                    Integer.parseInt(properties.getProperty("port.offset", "0").trim())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The settings of the last {@code up}, or the default topology if there never was one. */
    public static Topology topologyOf(Workspace workspace) {
        return load(workspace).map(ClusterSettings::topology).orElseGet(Topology::defaults);
    }

    public void save(Workspace workspace) throws IOException {
        Files.createDirectories(workspace.runDir());
        Properties properties = new Properties();
        properties.setProperty("replicas", Integer.toString(replicas));
        properties.setProperty("port.offset", Integer.toString(portOffset));
        try (Writer writer = Files.newBufferedWriter(workspace.settingsFile())) {
            properties.store(writer, "written by ./dtx up; read by the other ./dtx commands");
        }
    }
}
