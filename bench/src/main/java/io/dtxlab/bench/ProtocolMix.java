package io.dtxlab.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Which commit protocol each order asks for: one ({@code 2PC}) or a weighted mix ({@code 2PC=0.5,3PC=0.5}).
 * Weights are normalised, so {@code 2PC=1,3PC=3} is a quarter 2PC.
 */
public record ProtocolMix(Map<String, Double> weights) {

    /** What order-service accepts: two-phase, three-phase, and the baseline without atomic commitment. */
    public static final Set<String> PROTOCOLS = Set.of("2PC", "3PC", "TCC", "SAGA", "NONE");

    public ProtocolMix {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("no protocol given");
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0)) {
            throw new IllegalArgumentException("protocol weights must add up to more than 0");
        }
        Map<String, Double> normalised = new LinkedHashMap<>();
        weights.forEach((p, w) -> normalised.put(p, w / total));
        weights = java.util.Collections.unmodifiableMap(normalised);
    }

    /**
     * @param text {@code 2PC}, or {@code P=W,P=W,...} with P one of 2PC, 3PC, TCC, SAGA, NONE (any case) and W a non-negative weight
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ProtocolMix parse(String text) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pw = part.trim().split("=", -1);
            String protocol = pw[0].trim().toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("unknown protocol '" + pw[0].trim() + "' in '" + text
                        + "': use 2PC, 3PC, TCC, SAGA or NONE, or a mix like 2PC=0.5,3PC=0.5");
            }
            if (pw.length > 2 || weights.containsKey(protocol)) {
                throw new IllegalArgumentException("cannot read '" + part.trim() + "' in '" + text + "'");
            }
            double weight = 1;
            if (pw.length == 2) {
                try {
                    weight = Double.parseDouble(pw[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("weight of " + protocol + " is not a number: '" + pw[1].trim() + "'");
                }
                if (!(weight >= 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("weight of " + protocol + " must be 0 or more, was " + pw[1].trim());
                }
            }
            weights.put(protocol, weight);
        }
        return new ProtocolMix(weights);
    }

    public static ProtocolMix only(String protocol) {
        return parse(protocol);
    }

    /** Draws a protocol with its weight's probability. */
    public String pick(RandomGenerator random) {
        double x = random.nextDouble();
        String last = null;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            last = e.getKey();
            x -= e.getValue();
            if (x < 0) {
                return last;
            }
        }
        return last;
    }

    /** {@code 2PC} for a single protocol, else {@code 2PC=0.5,3PC=0.5}. */
    @Override
    public String toString() {
        if (weights.size() == 1) {
            return weights.keySet().iterator().next();
        }
        return weights.entrySet().stream().map(e -> e.getKey() + "=" + trim(e.getValue())).collect(Collectors.joining(","));
    }

    private static String trim(double d) {
        String s = String.format(Locale.ROOT, "%.4f", d);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
