package io.dtxlab.bench;

import java.util.LinkedHashMap;
import java.util.Map;
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

    static Double ratio(double over, double under) {
        return under > 0 ? Math.round(over / under * 1000) / 1000.0 : null;
    }

    static Double ratio(OptionalDouble over, double under) {
        return over.isPresent() ? ratio(over.getAsDouble(), under) : null;
    }
}
