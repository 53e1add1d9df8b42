package io.dtxlab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * The samples of one Prometheus text exposition (format 0.0.4, what {@code /actuator/prometheus} serves):
 * {@code name{label="value",...} number [timestamp]} lines; comments and blank lines are skipped.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = Collections.unmodifiableList(samples);
    }

    public static PrometheusText empty() {
        return new PrometheusText(List.of());
    }

    /**
     * @throws IllegalArgumentException naming the line that is not a sample
     */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(line));
        }
        return new PrometheusText(samples);
    }

    private static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                    i++;
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unterminated labels: " + line);
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("not a label: " + line);
                }
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    throw new IllegalArgumentException("unterminated label value: " + line);
                }
                labels.put(label, value.toString());
                i = j + 1;
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (name.isEmpty() || rest.length == 0 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        return new Sample(name, Collections.unmodifiableMap(labels), number(rest[0], line));
    }

    private static double number(String text, String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number in: " + line);
                }
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Whether any sample has this name. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum of every sample named {@code name}, or empty if there is none. */
    public OptionalDouble sum(String name) {
        return sum(name, labels -> true);
    }

    /** The sum of the samples named {@code name} whose labels pass {@code filter}, or empty if none does. */
    public OptionalDouble sum(String name, Predicate<Map<String, String>> filter) {
        boolean any = false;
        double total = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && filter.test(s.labels())) {
                any = true;
                total += s.value();
            }
        }
        return any ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** Sums of the samples named {@code name}, by the value of {@code label} (samples without it are left out). */
    public Map<String, Double> sumBy(String name, String label) {
        return sumBy(name, label, l -> true);
    }

    /** As {@link #sumBy(String, String)}, over the samples whose labels ({@code label} among them) pass {@code filter}. */
    public Map<String, Double> sumBy(String name, String label, Predicate<Map<String, String>> filter) {
        Map<String, Double> result = new java.util.TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().containsKey(label) && filter.test(s.labels())) {
                result.merge(s.labels().get(label), s.value(), Double::sum);
            }
        }
        return result;
    }
}
