package io.dtxlab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Two scrapes of every node's {@code /actuator/prometheus}, before and after the measured window. */
public record MetricsDelta(Map<String, PrometheusText> before, Map<String, PrometheusText> after) {

    /** Growth of the sum of {@code name} on {@code node}; empty if the node did not expose it after the window. */
    public OptionalDouble delta(String node, String name, Predicate<Map<String, String>> filter) {
        PrometheusText a = after.get(node);
        if (a == null) {
            return OptionalDouble.empty();
        }
        OptionalDouble end = a.sum(name, filter);
        if (end.isEmpty()) {
            return end;
        }
        PrometheusText b = before.get(node);
        double start = b == null ? 0 : b.sum(name, filter).orElse(0);
        return OptionalDouble.of(end.getAsDouble() - start);
    }

    public OptionalDouble delta(String node, String name) {
        return delta(node, name, l -> true);
    }

    /** Growth of {@code name} summed over every node that exposes it; empty if none does. */
    public OptionalDouble total(String name, Predicate<Map<String, String>> filter) {
        boolean any = false;
        double sum = 0;
        for (String node : after.keySet()) {
            OptionalDouble d = delta(node, name, filter);
            if (d.isPresent()) {
                any = true;
                sum += d.getAsDouble();
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    public OptionalDouble total(String name) {
        return total(name, l -> true);
    }

    /** Growth of {@code name} over every node, by the value of {@code label}. */
    public Map<String, Double> totalBy(String name, String label) {
        Map<String, Double> result = new TreeMap<>();
        for (String node : after.keySet()) {
            Map<String, Double> end = after.get(node).sumBy(name, label);
            Map<String, Double> start = before.containsKey(node) ? before.get(node).sumBy(name, label) : Map.of();
            end.forEach((k, v) -> result.merge(k, v - start.getOrDefault(k, 0.0), Double::sum));
        }
        return result;
    }

    /** Growth of {@code name} per node that exposes it. */
    public Map<String, Double> byNode(String name) {
        Map<String, Double> result = new LinkedHashMap<>();
        for (String node : after.keySet()) {
            delta(node, name).ifPresent(d -> result.put(node, d));
        }
        return result;
    }

    /**
     * Quantiles of a Prometheus histogram's growth over the window, summed over every node that exposes it, as
     * PromQL's {@code histogram_quantile} estimates them: linear within the bucket the rank falls in (so no closer
     * than the bucket bounds, here {@code LatencyBuckets}: ..., 10, 15, 20, 30, 50, 75, 100, 150, 200 ms, ...).
     *
     * @param histogram the metric's name without {@code _bucket}, e.g. {@code dtx_tx_phase_seconds}, in seconds
     * @param filter on a series' labels (it may ignore {@code le})
     * @param quantiles each in (0, 1)
     * @return milliseconds by quantile (rounded to 0.1 ms), in the order asked; empty when nothing was observed in
     *         the window. A rank in the last, unbounded bucket gives the highest finite bound, as PromQL does. A node
     *         that restarted between the scrapes (fewer observations after than before) counts all it has
     */
    public Optional<List<Double>> quantilesMs(String histogram, Predicate<Map<String, String>> filter,
            double... quantiles) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        String bucket = histogram + "_bucket";
        for (String node : after.keySet()) {
            Map<Double, Double> end = buckets(after.get(node), bucket, filter);
            Map<Double, Double> start = buckets(before.get(node), bucket, filter);
            boolean restarted = end.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
                    < start.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
            // a node that restarted between the scrapes counted from zero again: all it has now grew in the window
            end.forEach((le, count) -> cumulative.merge(le, restarted ? count : count - start.getOrDefault(le, 0.0),
                    Double::sum));
        }
        Double total = cumulative.get(Double.POSITIVE_INFINITY);
        if (total == null || !(total >= 1)) { // none, or NaN
            return Optional.empty();
        }
        double highest = 0; // cumulative counts never fall with the bound (PromQL's histogram_quantile ensures it too)
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            highest = Math.max(highest, e.getValue());
            e.setValue(highest);
        }
        List<Double> result = new ArrayList<>(quantiles.length);
        for (double q : quantiles) {
            double rank = q * total;
            double lower = 0;
            double below = 0;
            double estimate = lower;
            for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
                if (e.getValue() >= rank) {
                    if (e.getKey().isInfinite()) {
                        estimate = lower;
                    } else {
                        double inBucket = e.getValue() - below;
                        estimate = inBucket <= 0 ? e.getKey() : lower + (e.getKey() - lower) * (rank - below) / inBucket;
                    }
                    break;
                }
                lower = e.getKey();
                below = e.getValue();
            }
            result.add(Math.round(estimate * 10_000) / 10.0);
        }
        return Optional.of(result);
    }

    /** One scrape's cumulative bucket counts of {@code bucket} by upper bound, summed over the filtered series. */
    private static Map<Double, Double> buckets(PrometheusText scrape, String bucket,
            Predicate<Map<String, String>> filter) {
        Map<Double, Double> counts = new TreeMap<>();
        if (scrape != null) {
            scrape.sumBy(bucket, "le", filter).forEach((le, count) ->
                    counts.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), count));
        }
        return counts;
    }

    static Double ratio(double over, double under) {
        return under > 0 ? Math.round(over / under * 1000) / 1000.0 : null;
    }

    static Double ratio(OptionalDouble over, double under) {
        return over.isPresent() ? ratio(over.getAsDouble(), under) : null;
    }
}
