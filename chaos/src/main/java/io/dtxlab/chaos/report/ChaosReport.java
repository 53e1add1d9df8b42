package io.dtxlab.chaos.report;

import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.ClientEvent;
import io.dtxlab.chaos.history.Event;
import io.dtxlab.chaos.history.FaultWindow;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A chaos run's results, as its reports show them ({@link ChaosReportJson}, {@link ChaosReportHtml}): what the run
 * was, the operations and faults of its history, and the checkers' verdicts. The counts and the {@link Summary} are
 * derived from these when asked.
 *
 * @param run what the runner knows: seed, workloads, duration, start, the command to repeat it
 * @param workloadByProcess each client process of the history and the workload it ran, in the order the processes
 *         first appear in the history
 * @param operations every client operation, in the order of their invokes ({@link History#operations()})
 * @param faults the nemesis's fault windows, in the order they started
 * @param end the history's last event, in nanoseconds since the run's start (0 for an empty history)
 * @param verdicts the checkers' verdicts, in the order they ran
 */
public record ChaosReport(Run run, Map<String, String> workloadByProcess, List<Operation> operations,
        List<FaultWindow> faults, long end, List<Verdict> verdicts) {

    /** The workload of a process the runner's mapping does not name. */
    public static final String UNASSIGNED = "unassigned";

    /**
     * What the runner knows about a run besides its history and verdicts.
     *
     * @param seed the seed of the fault plan and the workloads' choices
     * @param workloads the workloads' names, as on the command line ({@code orders}, {@code register}, ...)
     * @param duration how long the clients ran
     * @param start when the run started, on the wall clock (the history's times count from it)
     * @param command the command that repeats the run, e.g. {@code ./dtx chaos --seed 42 --workload orders --time 60s}
     * @param notes what else the report should say, e.g. a fault the nemesis could not apply or heal; may be empty
     */
    public record Run(long seed, List<String> workloads, Duration duration, Instant start, String command,
            List<String> notes) {

        public Run {
            workloads = List.copyOf(workloads);
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(command, "command");
            notes = List.copyOf(notes);
        }
    }

    public ChaosReport {
        Objects.requireNonNull(run, "run");
        workloadByProcess = Collections.unmodifiableMap(new LinkedHashMap<>(workloadByProcess));
        operations = List.copyOf(operations);
        faults = List.copyOf(faults);
        verdicts = List.copyOf(verdicts);
        for (Operation op : operations) {
            if (!workloadByProcess.containsKey(op.process())) {
                throw new IllegalArgumentException("operation " + op.id() + " is of " + op.process()
                        + ", which has no workload");
            }
        }
    }

    /**
     * The report of a run.
     *
     * @param history the run's history
     * @param workloadOf the workload each client process ran (e.g. {@code map::get}); a process it maps to null
     *         counts as {@link #UNASSIGNED}
     * @param verdicts the checkers' verdicts on {@code history}
     * @throws IllegalArgumentException when the history's operations or faults do not pair up ({@link History})
     */
    public static ChaosReport of(Run run, History history, Function<String, String> workloadOf,
            List<Verdict> verdicts) {
        Map<String, String> workloads = new LinkedHashMap<>();
        for (Event e : history.events()) {
            if (e instanceof ClientEvent c && !workloads.containsKey(c.process())) {
                workloads.put(c.process(), Objects.requireNonNullElse(workloadOf.apply(c.process()), UNASSIGNED));
            }
        }
        List<Event> events = history.events();
        long end = events.isEmpty() ? 0 : events.get(events.size() - 1).time();
        return new ChaosReport(run, workloads, history.operations(), history.faultWindows(), end, verdicts);
    }

    /** The workload of {@code op}'s process. */
    public String workloadOf(Operation op) {
        return workloadByProcess.getOrDefault(op.process(), UNASSIGNED);
    }

    /** Faults applied, by kind ({@link FaultWindow#kind()}: crash, partition, pause), in the order first applied. */
    public Map<String, Integer> faultsByKind() {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        faults.forEach(w -> byKind.merge(w.kind(), 1, Integer::sum));
        return byKind;
    }

    /** All operations by how they ended. */
    public OperationCounts counts() {
        return OperationCounts.of(operations);
    }

    /**
     * Operations by workload and how they ended: the run's workloads in its order (with zeros for one that recorded
     * nothing), then any other workload a process was mapped to, in the order first seen.
     */
    public Map<String, OperationCounts> countsByWorkload() {
        Map<String, OperationCounts> byWorkload = new LinkedHashMap<>();
        run.workloads().forEach(w -> byWorkload.put(w, OperationCounts.NONE));
        workloadByProcess.values().forEach(w -> byWorkload.putIfAbsent(w, OperationCounts.NONE));
        operations.forEach(op -> byWorkload.compute(workloadOf(op),
                (w, counts) -> (counts == null ? OperationCounts.NONE : counts).plus(op)));
        return byWorkload;
    }

    /** The summary of the verdicts ({@link Summary#of}). */
    public Summary summary() {
        return Summary.of(verdicts);
    }

    /** Whether the run kept every promise checked: at least one verdict, and every one VALID. */
    public boolean valid() {
        return summary().valid();
    }
}
