package io.dtxlab.launcher.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags of every node. The budget: the default cluster is 9 node JVMs plus the launcher (with
 * Kafka, ~350 MB) and it must fit in 4 GiB on 2 cores, i.e. about 400 MB resident per node. Measured
 * just after start: ~320 MB RSS per node, of which ~115 MB heap, ~110 MB metaspace (Boot, JPA, Kafka,
 * springdoc), ~15 MB JIT code and the rest threads, GC and native buffers. Hence at most ~190 MB heap.
 */
public final class NodeJvm {

    /** Extra flags for every node, appended last so they win (e.g. {@code -XX:TieredStopAtLevel=4} for C2). */
    public static final String EXTRA_OPTS_ENV = "DTX_NODE_JAVA_OPTS";

    static final List<String> FLAGS = List.of(
            // Heap: a node's live data is small (H2 in files, short-lived requests), ~50 MB after start.
            // 192 MB leaves a young generation of ~64 MB for load tests and keeps 9 nodes within budget;
            // starting at 64 MB means an idle node does not commit memory it never uses.
            "-Xms64m",
            "-Xmx192m",
            // Serial GC: least memory of its own and no GC threads competing for 2 cores with 9 other
            // JVMs. Pauses on a 256 MB heap are a few milliseconds.
            "-XX:+UseSerialGC",
            // Survivor spaces of a fifth of the young generation each (~12 MB), not a tenth (~6 MB): at 256 clients
            // an order service holds about a second's worth of requests, which outlived two young collections,
            // overflowed the survivors into the old generation and filled it (a full collection every few seconds,
            // 15 % of its CPU after 40,000 orders); with this the same run spent 9 % and confirmed 310 orders/s in
            // its fourth 30 s run where the default did 256.
            "-XX:SurvivorRatio=3",
            // Caps, not reservations: only what is used counts in RSS. A Boot app with JPA, Kafka and springdoc
            // uses ~100-130 MB of metaspace and ~20-40 MB of JIT code; the caps stop a leak from eating the machine
            // while leaving the JIT room (a full code cache stops compiling).
            "-XX:MaxMetaspaceSize=256m",
            "-XX:ReservedCodeCacheSize=96m",
            // C1 only. Nine JVMs share 2 cores, and each must compile the same Spring, Hibernate, H2 and Tomcat
            // code: with C2 the compiler threads took ~40 % of all CPU through three minute-long benchmark runs
            // after start and never settled (2PC 9, 16, then 22 orders/s), while C1 compiles in a fraction of the
            // time and the second run already did 36 orders/s at half the CPU per order. C1 code is slower than
            // C2's, but on this machine C2 never gets to pay for itself. DTX_NODE_JAVA_OPTS=-XX:TieredStopAtLevel=4
            // gives C2 back (for a long soak on a bigger machine).
            "-XX:TieredStopAtLevel=1",
            // JDK 17's code sweeper flushes compiled methods it finds cold between safepoints; under load it
            // flushed ~12,000 methods in 45 s of one node, which were compiled again at once. The code of a node
            // is bounded (its jars), so nothing is gained by flushing it.
            "-XX:-UseCodeCacheFlushing",
            // A node that runs out of memory dies visibly (the launcher reports EXITED) instead of
            // limping on with half its threads dead.
            "-XX:+ExitOnOutOfMemoryError",
            // No performance counters (what jps and jstat read; jcmd works without them): the JVM would sample them
            // every 50 ms, a wake-up that costs every idle JVM a few hundred microseconds of CPU on a small VM.
            "-XX:-UsePerfData",
            // Two more idle wake-ups, both diagnostic flags: the monitor deflation thread looks for idle inflated
            // locks every 250 ms (every 10 s here; it also runs when too many monitors are inflated), and the VM
            // thread forces a safepoint every second for cleanup that a JVM at rest does not need (GCs still run
            // their own safepoints).
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:AsyncDeflationInterval=10000",
            "-XX:GuaranteedSafepointInterval=0",
            // Not -Xss: thread stacks are committed lazily, so a smaller -Xss saves address space, not RSS.
            "-Djava.awt.headless=true");

    private NodeJvm() {
    }

    /**
     * Not a flag but the same budget: glibc gives each busy thread its own malloc arena (up to 8 per
     * core), which costs a JVM tens of MB of RSS for nothing. Two arenas are plenty for a JVM.
     */
    public static final String MALLOC_ARENA_MAX = "2";

    /** Our flags, then the user's from {@value #EXTRA_OPTS_ENV}. */
    public static List<String> flags(String extraOpts) {
        List<String> flags = new ArrayList<>(FLAGS);
        if (extraOpts != null && !extraOpts.isBlank()) {
            flags.addAll(Arrays.asList(extraOpts.trim().split("\\s+")));
        }
        return flags;
    }

    public static List<String> flags() {
        return flags(System.getenv(EXTRA_OPTS_ENV));
    }
}
