package io.dtxlab.launcher.chaos;

import io.dtxlab.bench.Durations;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.Validity;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.report.ChaosReport;
import io.dtxlab.chaos.report.ChaosReportHtml;
import io.dtxlab.chaos.report.ChaosReportJson;
import io.dtxlab.chaos.report.Summary;
import io.dtxlab.chaos.workload.Workload;
import io.dtxlab.chaos.workload.Workloads;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.control.ProcessControl;
import io.dtxlab.launcher.control.RunningCluster;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./dtx chaos}: a Jepsen-style run against the cluster {@code ./dtx up} runs on this machine. Exit code 0 when
 * every checker finds the history valid, {@value #VIOLATED} when one finds a violation, {@value #UNKNOWN} when a
 * checker could not decide (its search ran out of budget) and none found a violation.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs workloads against the running cluster while a seeded nemesis crashes (SIGKILL, then a "
                + "restart from the node's files), partitions and pauses (SIGSTOP) its nodes, one fault at a time; "
                + "records every operation and fault as a history, heals everything, and checks the history: no mixed "
                + "2PC outcome, stock and money conserved, nothing acknowledged lost, linearizable SYNC registers, "
                + "fresh quorum reads, nothing in doubt after the heal.",
                "Exit code 3 when a checker finds a violation, 4 when one cannot decide."})
public final class ChaosCommand implements Callable<Integer> {

    static final int VIOLATED = 3;
    static final int UNKNOWN = 4;

    /** Violations printed per checker; the report has them all. */
    private static final int SHOWN = 5;

    /** The workloads that each set the master replica's mode. */
    private static final Set<String> MASTER_MODES = Set.of("register", "async", "semi-sync");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--workload", paramLabel = "W[,W...]", defaultValue = "orders,register,quorum",
            description = "orders, register (master-slave SYNC, linearizable), async and semi-sync (master-slave, "
                    + "lost writes against the ledger) and quorum; register, async and semi-sync each set the master's "
                    + "mode, so one at a time (default ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--faults", paramLabel = "KIND[,KIND...]", defaultValue = "crash,partition,pause",
            description = "The kinds of fault the nemesis draws from: crash, partition, pause (default ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--target", paramLabel = "NODES", defaultValue = "any",
            description = "Which nodes the faults hit: any, leader, coordinators, participants, master, replicas; "
                    + "e.g. --faults crash --target master makes master failovers (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--r", paramLabel = "R", description = "The R of every quorum read (default: the cluster's).")
    Integer r;

    @Option(names = "--w", paramLabel = "W", description = "The W of every quorum write (default: the cluster's).")
    Integer w;

    @Option(names = "--protocol", paramLabel = "P", defaultValue = "2PC",
            description = "The orders' protocol: 2PC, 3PC, TCC, SAGA, NONE, or a mix like 2PC=0.5,SAGA=0.5 (default "
                    + "${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long the clients and the nemesis run, e.g. 90s or 5m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seeds the fault schedule and the clients' choices; the same seed repeats the schedule "
                    + "(default: a new one, printed).")
    Long seed;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "3",
            description = "Clients per workload, each one operation at a time (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long after the last heal the cluster has to settle before nothing may be in doubt "
                    + "(default ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the JSON report (default: in the run's directory).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Where to write the HTML report (default: in the run's directory).")
    Path html;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() throws Exception {
        Duration runFor = parse("--duration", duration);
        Duration settleFor = parse("--settle", settle);
        if (clients < 1 || clients > 64) {
            throw new UserError("--clients must be 1 to 64, was " + clients, UserError.USAGE);
        }
        Set<String> names = workloads(workload);
        Set<FaultPlan.Kind> kinds = kinds(faults);
        FaultPlan.Target hit = target(target);
        ProtocolMix mix;
        try {
            mix = ProtocolMix.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new UserError("--protocol: " + e.getMessage(), UserError.USAGE);
        }
        long runSeed = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;

        RunningCluster cluster = RunningCluster.of(dataDir.workspace(), "chaos");
        Workspace workspace = cluster.workspace();
        Topology topology = cluster.topology();
        Tokens tokens = cluster.tokens();
        cluster.requireAllHealthy("a chaos run");

        Path dir = workspace.root().resolve("chaos").resolve(LocalDateTime.now().format(STAMP) + "-seed" + runSeed);
        Files.createDirectories(dir);
        Path historyFile = dir.resolve("history.jsonl");
        ProgressLog log = new ProgressLog(System.out);
        String repeat = "./dtx chaos --seed " + runSeed + " --workload " + String.join(",", names) + " --duration "
                + Durations.format(runFor) + " --clients " + clients
                + (names.contains("orders") ? " --protocol " + protocol : "")
                + (kinds.size() < FaultPlan.Kind.values().length ? " --faults " + faults : "")
                + (hit != FaultPlan.Target.ANY ? " --target " + target : "")
                + (r != null ? " --r " + r : "") + (w != null ? " --w " + w : "") + workspace.dataDirArgument();
        log.line("chaos: seed " + runSeed + " (repeat the schedule with: " + repeat + ")");
        log.line("chaos: history in " + historyFile);

        Targets targets = Targets.of(topology, "http://localhost", tokens.admin());
        try (Http admin = new Http(Duration.ofSeconds(10), tokens.admin());
                Http clientsHttp = Workloads.http(targets);
                HistoryRecorder history = HistoryRecorder.to(historyFile)) {
            ProcessControl control = cluster.control(admin);
            Workloads.Context context = new Workloads.Context(targets, tokens.cluster(), runSeed, mix, r, w);
            List<Workload> chosen = names.stream().map(name -> Workloads.create(name, context, clientsHttp)).toList();
            ChaosRun run = new ChaosRun(chosen, clients, control, new FaultPlan(runSeed, control, kinds, hit), runFor, settleFor, log);
            ChaosRun.Outcome outcome;
            Instant start = Instant.now();
            try {
                outcome = run.run(history);
            } catch (IllegalStateException e) {
                throw new UserError("chaos: " + e.getMessage());
            }
            ChaosReport report = ChaosReport.of(new ChaosReport.Run(runSeed, List.copyOf(names), runFor, start, repeat,
                    outcome.nemesisFailures()), outcome.history(), ChaosCommand::workloadOf, outcome.verdicts());
            return report(report, json != null ? json : dir.resolve("report.json"),
                    html != null ? html : dir.resolve("report.html"));
        }
    }

    /** Client processes are named {@code <workload>-<n>}. */
    static String workloadOf(String process) {
        int dash = process.lastIndexOf('-');
        return dash > 0 ? process.substring(0, dash) : null;
    }

    private static int report(ChaosReport report, Path jsonFile, Path htmlFile) throws IOException {
        PrintStream out = System.out;
        out.println();
        out.println("== chaos: seed " + report.run().seed() + ", " + report.faultsByKind().values().stream()
                .mapToInt(Integer::intValue).sum() + " faults " + report.faultsByKind());
        report.countsByWorkload().forEach((name, counts) -> out.println("operations " + name + ": " + counts.ok()
                + " ok, " + counts.fail() + " fail, " + counts.info() + " info"));
        Summary summary = report.summary();
        out.println("mixedOutcomes " + summary.mixedOutcomes() + ", lostAcknowledged " + summary.lostAcknowledged()
                + ", conservation " + summary.conservation() + ", inDoubtAfterHeal " + summary.inDoubtAfterHeal()
                + ", linearizable " + summary.linearizable());
        boolean unknown = false;
        boolean violated = false;
        for (Verdict verdict : report.verdicts()) {
            out.println("checker " + verdict.checker() + ": " + verdict.validity());
            verdict.violations().stream().limit(SHOWN).forEach(f -> out.println("  violation: " + f.rule()
                    + (f.key() == null ? "" : " [" + f.key() + "]") + ": " + f.detail()));
            if (verdict.violations().size() > SHOWN) {
                out.println("  ... and " + (verdict.violations().size() - SHOWN) + " more (see the report)");
            }
            unknown |= verdict.validity() == Validity.UNKNOWN;
            violated |= verdict.validity() == Validity.INVALID;
        }
        report.run().notes().forEach(note -> out.println("note: " + note));
        ChaosReportJson.write(report, jsonFile);
        ChaosReportHtml.write(report, htmlFile);
        out.println(report.valid() ? "valid: every checker found the history valid" : "NOT valid");
        out.println("JSON report: " + jsonFile.toAbsolutePath());
        out.println("HTML report: " + htmlFile.toAbsolutePath());
        return violated ? VIOLATED : unknown ? UNKNOWN : report.valid() ? 0 : UNKNOWN;
    }

    private static Duration parse(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage(), UserError.USAGE);
        }
    }

    static Set<String> workloads(String list) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        if (names.isEmpty() || !Workloads.NAMES.containsAll(names)) {
            throw new UserError("--workload: " + list + " is not a list of workloads; the workloads: "
                    + String.join(", ", Workloads.NAMES), UserError.USAGE);
        }
        if (names.stream().filter(MASTER_MODES::contains).count() > 1) {
            throw new UserError("--workload: register (SYNC), async (ASYNC) and semi-sync (SEMI_SYNC) each set the "
                    + "master's mode; run them one at a time", UserError.USAGE);
        }
        return names;
    }

    static Set<FaultPlan.Kind> kinds(String list) {
        Set<FaultPlan.Kind> kinds = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            try {
                kinds.add(FaultPlan.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--faults: '" + name.trim() + "' is not a kind of fault; the kinds: crash, "
                        + "partition, pause", UserError.USAGE);
            }
        }
        return kinds;
    }

    static FaultPlan.Target target(String name) {
        try {
            return FaultPlan.Target.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--target: '" + name.trim() + "' names no nodes; use any, leader, coordinators, "
                    + "participants, master or replicas", UserError.USAGE);
        }
    }
}
