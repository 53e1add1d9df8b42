package io.dtxlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The ratios of a comparison: every run against the first (the baseline) and against the run before it. */
final class Ratios {

    private Ratios() {
    }

    static List<CompareReport.Ratio> of(List<BenchReport> runs) {
        List<CompareReport.Ratio> ratios = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            add(ratios, runs.get(i), runs.get(0));
            if (i > 1) {
                add(ratios, runs.get(i), runs.get(i - 1));
            }
        }
        return ratios;
    }

    private static void add(List<CompareReport.Ratio> ratios, BenchReport run, BenchReport against) {
        ratio(ratios, run, against, "throughputPerS", r -> r.throughputPerS(), meaning(run, against, "throughputPerS"));
        ratio(ratios, run, against, "latencyMs.p50", r -> r.latencyMs().p50(), meaning(run, against, "latencyMs.p50"));
        ratio(ratios, run, against, "latencyMs.p99", r -> r.latencyMs().p99(), "");
        if (!run.workload().equals("orders")) {
            for (String op : List.of("write", "read")) {
                ratio(ratios, run, against, op + ".p50", r -> percentile(r, op, true), "");
                ratio(ratios, run, against, op + ".p99", r -> percentile(r, op, false), "");
            }
        }
        if (run.cpuMsPerOp() != null && against.cpuMsPerOp() != null) {
            ratio(ratios, run, against, "cpuMsPerOp", BenchReport::cpuMsPerOp, "");
        }
    }

    private static Double percentile(BenchReport r, String op, boolean median) {
        LatencyStats s = r.latencyByOperationMs().get(op);
        return s == null || s.count() == 0 ? null : median ? s.p50() : s.p99();
    }

    private static String meaning(BenchReport run, BenchReport against, String metric) {
        if (!run.workload().equals("orders")) {
            return "";
        }
        if (metric.equals("throughputPerS") && against.protocol().equals("NONE") && !run.protocol().equals("NONE")) {
            return "the distribution tax: atomic commitment's throughput against none";
        }
        if (metric.equals("latencyMs.p50") && against.protocol().equals("2PC") && run.protocol().equals("3PC")) {
            return "the price of the third phase";
        }
        return "";
    }

    private static void ratio(List<CompareReport.Ratio> ratios, BenchReport run, BenchReport against, String metric,
            Function<BenchReport, Double> value, String meaning) {
        Double over = value.apply(run);
        Double under = value.apply(against);
        Double r = over == null || under == null || under == 0 ? null : Math.round(over / under * 1000) / 1000.0;
        ratios.add(new CompareReport.Ratio(run.protocol(), against.protocol(), metric, r, meaning));
    }

}
