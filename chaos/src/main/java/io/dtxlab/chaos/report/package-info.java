/**
 * The report of a chaos run: {@link io.dtxlab.chaos.report.ChaosReport} gathers what the run was (seed, workloads,
 * duration, start, the command that repeats it), its history's operations and fault windows, and the checkers'
 * verdicts; {@link io.dtxlab.chaos.report.Summary} reads the verdicts' findings into the few answers a run is judged
 * by; {@link io.dtxlab.chaos.report.ChaosReportJson} writes it for scripts and
 * {@link io.dtxlab.chaos.report.ChaosReportHtml} as one page for people (Jepsen's timeline, latency over time with
 * the faults shaded, each verdict with the operations that break its rules).
 *
 * <pre>{@code
 * ChaosReport report = ChaosReport.of(new ChaosReport.Run(seed, workloads, duration, start, command, notes),
 *         history, workloadByProcess::get, verdicts);
 * ChaosReportJson.write(report, dir.resolve("chaos.json"));
 * ChaosReportHtml.write(report, dir.resolve("chaos.html"));
 * }</pre>
 */
package io.dtxlab.chaos.report;
