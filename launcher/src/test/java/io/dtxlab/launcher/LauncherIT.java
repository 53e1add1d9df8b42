package io.dtxlab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise, end to end, with the packaged jars: {@code ./dtx up} brings every node up, a
 * killed node comes back with its data, a seeded chaos run finds every promise kept, the tour's stories all hold,
 * and stopping the launcher leaves no process behind. A port
 * offset keeps it clear of a cluster a developer may be running.
 */
class LauncherIT {

    private static final Path ROOT = Path.of(System.getProperty("dtx.root", "..")).toAbsolutePath().normalize();
    private static final int PORT_OFFSET = 20000;
    private static final Pattern ALL_HEALTHY = Pattern.compile("All (\\d+) nodes healthy in ([0-9.]+)s");
    // CI is a busy 2-core machine starting 9 Spring Boot JVMs at once: be generous.
    private static final Duration CLUSTER_START = Duration.ofMinutes(8);
    private static final Duration COMMAND = Duration.ofMinutes(6);
    /** From a node's SIGKILL until {@code status} no longer finds it UP: a few looks, each a JVM start. */
    private static final Duration KILLED_SEEN = Duration.ofMinutes(2);
    /** The tour restarts crashed coordinators four times, each a JVM start on a busy machine. */
    private static final Duration TOUR = Duration.ofMinutes(15);

    @TempDir
    Path data;

    private final Topology topology = Topology.of(Topology.DEFAULT_REPLICAS, PORT_OFFSET);

    @Test
    void upKillStartAndStopLeaveTheClusterAsPromised() throws Exception {
        // A file, not a pipe: lines written just before the process exits ("stopped") are never lost.
        Path upLog = ROOT.resolve("launcher/target/LauncherIT-up.log");
        Process up = dtx("up").redirectOutput(upLog.toFile()).start();
        Supplier<List<String>> upOutput = () -> lines(upLog);
        try {
            // when: ./dtx up
            await().atMost(CLUSTER_START).pollInterval(Duration.ofSeconds(1))
                    .until(() -> allHealthyLine(upOutput.get()).isPresent() || !up.isAlive());
            assertThat(up.isAlive()).as("./dtx up is still running; its output:\n%s", String.join("\n", upOutput.get()))
                    .isTrue();
            Matcher healthy = ALL_HEALTHY.matcher(allHealthyLine(upOutput.get()).orElseThrow());
            assertThat(healthy.find()).isTrue();
            System.out.println("LauncherIT: all " + healthy.group(1) + " nodes healthy in " + healthy.group(2) + "s");
            assertThat(Integer.parseInt(healthy.group(1))).isEqualTo(topology.nodes().size());

            // then: status shows every node UP, each at incarnation 1 (a fresh data dir)
            Map<String, List<String>> status = status();
            for (ClusterNode node : topology.nodes()) {
                assertThat(status.get(node.id())).as("status of %s", node.id()).element(3).isEqualTo("UP");
            }
            assertThat(status.get("inventory")).element(5).isEqualTo("1");

            // and: an unknown node is refused by name
            Result unknown = run("stop", "nosuchnode");
            assertThat(unknown.exit()).isNotZero();
            assertThat(unknown.output()).contains("nosuchnode");

            // when: inventory crashes
            Result kill = run("kill", "inventory");
            assertThat(kill.exit()).as(kill.output()).isZero();
            assertThat(kill.output()).contains("inventory killed (SIGKILL, pid");
            // then: status no longer finds it UP (each look is a JVM start, slow on a busy machine)
            await().atMost(KILLED_SEEN).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        Status seen = statusRun();
                        assertThat(seen.rows().get("inventory")).as("status after the kill:\n%s", seen.output())
                                .element(3).isNotEqualTo("UP");
                    });

            // when: it is started again
            Result start = run("start", "inventory");
            assertThat(start.exit()).as(start.output()).isZero();
            // then: it is back, with the same data dir, one incarnation later
            List<String> inventory = status().get("inventory");
            assertThat(inventory).element(3).isEqualTo("UP");
            assertThat(inventory).element(5).isEqualTo("2");

            // when: a short seeded chaos run crashes, partitions and pauses nodes under orders, SYNC registers and
            // quorum registers
            Result chaos = run("chaos", "--seed", "1", "--duration", "60s");
            System.out.println("LauncherIT: chaos\n" + chaos.output());
            // then: every checker finds the history valid (no mixed 2PC outcome, the books balance, nothing
            // acknowledged lost, linearizable registers, fresh quorum reads, nothing in doubt after the heal)
            assertThat(chaos.exit()).as(chaos.output()).isZero();
            assertThat(chaos.output()).contains("valid: every checker found the history valid");

            // when: the tour tells every README story against the same cluster, which chaos has just shaken
            Result tour = run(TOUR, "tour", "--no-pause");
            System.out.println("LauncherIT: tour\n" + tour.output());
            // then: every story's claim holds; the two that need start-time settings (failover ELECT, four replicas)
            // say so and are skipped; and each story left the cluster whole, crashed coordinators restarted
            assertThat(tour.exit()).as(tour.output()).isZero();
            assertThat(tour.output()).contains("== tour: 13 stories: 11 PASS, 0 FAIL, 2 SKIP")
                    .contains("SKIP  failover-ledger").contains("SKIP  hinted-handoff");
            assertThat(status().values()).allSatisfy(row -> assertThat(row).element(3).isEqualTo("UP"));

            // when: the launcher gets SIGTERM (as from Ctrl-C or a service manager)
            List<Long> pids = nodePids();
            assertThat(pids).hasSize(topology.nodes().size());
            up.destroy();
            // then: it stops every node, the restarted one included, and Kafka
            assertThat(up.waitFor(2, TimeUnit.MINUTES)).as("launcher exits").isTrue();
            assertThat(upOutput.get()).contains("stopped");
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("pid %d is gone", pid).isFalse());
        } finally {
            up.destroyForcibly();
            killLeftovers();
        }
    }

    private ProcessBuilder dtx(String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("dtx").toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("--data-dir", data.toString()));
        if (args[0].equals("up")) {
            command.addAll(List.of("--port-offset", Integer.toString(PORT_OFFSET)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        // We run inside a Maven build that just packaged the jars: never start another build.
        builder.environment().put("DTX_NO_BUILD", "1");
        builder.environment().remove("DTX_DATA_DIR");
        return builder;
    }

    private record Result(int exit, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(COMMAND, args);
    }

    private Result run(Duration within, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile("dtx-" + args[0], ".out");
        try {
            Process process = dtx(args).redirectOutput(output.toFile()).start();
            if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return new Result(process.exitValue(), String.join("\n", lines(output)));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** What {@code ./dtx status} printed, and its rows by node id. */
    private record Status(String output, Map<String, List<String>> rows) {
    }

    /** Node id to its status columns: NODE PID PORT HEALTH ROLE INCARNATION. */
    private Map<String, List<String>> status() throws IOException, InterruptedException {
        return statusRun().rows();
    }

    private Status statusRun() throws IOException, InterruptedException {
        Result result = run("status");
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : result.output().split("\n")) {
            List<String> columns = Arrays.asList(line.trim().split("\\s+"));
            if (columns.size() == 6 && topology.node(columns.get(0)).isPresent()) {
                rows.put(columns.get(0), columns);
            }
        }
        assertThat(rows).as("status output:\n%s", result.output()).hasSize(topology.nodes().size());
        return new Status(result.output(), rows);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> allHealthyLine(List<String> lines) {
        return lines.stream().filter(l -> ALL_HEALTHY.matcher(l).find()).findFirst();
    }

    private List<Long> nodePids() {
        Workspace workspace = Workspace.at(data);
        return topology.nodes().stream()
                .map(node -> PidFile.read(workspace.pidFile(node.id())))
                .flatMap(Optional::stream).map(PidFile::pid).toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && !isZombie(pid);
    }

    /** Read independently of the launcher's own liveness code, which is what we test here. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Kills whatever a failed run left, and waits for it, so that @TempDir can be deleted. */
    private void killLeftovers() {
        Workspace workspace = Workspace.at(data);
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (ClusterNode node : topology.nodes()) {
            PidFile.read(workspace.pidFile(node.id())).flatMap(PidFile::liveProcess).ifPresent(leftovers::add);
        }
        PidFile.read(workspace.launcherPidFile()).flatMap(PidFile::liveProcess).ifPresent(leftovers::add);
        leftovers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle leftover : leftovers) {
            leftover.onExit().completeOnTimeout(leftover, 10, TimeUnit.SECONDS).join();
        }
    }
}
