package io.dtxlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Collects what every request took. Pure: each sample brings its own times, on one monotonic nanosecond clock.
 *
 * <p>A sample has three times: when it was meant to start ({@code intended}: the open loop's schedule; in a
 * closed loop the same as the actual start), when it actually went out, and when its answer was in. The latency
 * is {@code end - intended}: the wait behind a stalled server counts, which corrects coordinated omission as
 * wrk2 does. The service time is {@code end - actual}: what the server took once it had the request, which is
 * what a load tester without the correction would report.
 *
 * <p>Only requests meant to start inside the measured window count in the report; those before it are warm-up.
 * Every sample, warm-up included, feeds the live figures of the progress line.
 */
public final class LatencyRecorder {

    /** Samples above an hour are clamped: nothing in the lab waits that long on purpose. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 3;

    private final long windowStartNanos;
    private final long windowEndNanos;
    private final Set<String> successes;
    private final Set<String> errors;

    private final Histogram latency = histogram();
    private final Histogram serviceTime = histogram();
    private final Map<String, Histogram> byOutcome = new TreeMap<>();
    private final Map<String, Histogram> byOperation = new TreeMap<>();
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final Map<String, Long> successesByOperation = new TreeMap<>();
    private final TreeMap<Long, Second> timeline = new TreeMap<>();

    private final Histogram liveLatency = histogram();
    private long liveErrors;
    private final TreeMap<Long, Long> liveCompletions = new TreeMap<>();
    private final long liveOriginNanos;

    /** One second of the measured window, by when the answers came in. */
    private static final class Second {
        long ops;
        long successes;
        long errors;
        final Histogram latency = histogram();
    }

    /**
     * @param windowStartNanos the measured window's start (the end of warm-up)
     * @param windowEndNanos its end: requests meant to start from then on are not sent, or not counted
     * @param successes the outcomes that count as a successful operation (throughput)
     * @param errors the outcomes the progress line counts as errors
     * @param liveOriginNanos when the run began (warm-up included), for the progress line's seconds
     */
    public LatencyRecorder(long windowStartNanos, long windowEndNanos, Set<String> successes, Set<String> errors,
            long liveOriginNanos) {
        this.windowStartNanos = windowStartNanos;
        this.windowEndNanos = windowEndNanos;
        this.successes = Set.copyOf(successes);
        this.errors = Set.copyOf(errors);
        this.liveOriginNanos = liveOriginNanos;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, DIGITS);
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /**
     * Records one answered (or failed) request.
     *
     * @param operation what kind of request ({@code 2PC}, {@code read}, {@code write}, ...), for per-operation figures
     * @param outcome how it ended ({@code CONFIRMED}, {@code OK}, {@code ERROR}, ...)
     * @return whether it counted in the measured window
     */
    public synchronized boolean record(String operation, String outcome, long intendedStartNanos, long actualStartNanos,
            long endNanos) {
        long corrected = micros(endNanos - intendedStartNanos);
        liveLatency.recordValue(corrected);
        liveCompletions.merge((endNanos - liveOriginNanos) / 1_000_000_000L, 1L, Long::sum);
        if (errors.contains(outcome)) {
            liveErrors++;
        }
        if (intendedStartNanos < windowStartNanos || intendedStartNanos >= windowEndNanos) {
            return false;
        }
        latency.recordValue(corrected);
        serviceTime.recordValue(micros(endNanos - actualStartNanos));
        byOutcome.computeIfAbsent(outcome, o -> histogram()).recordValue(corrected);
        byOperation.computeIfAbsent(operation, o -> histogram()).recordValue(corrected);
        outcomes.merge(outcome, 1L, Long::sum);
        Second second = timeline.computeIfAbsent(Math.max(0, (endNanos - windowStartNanos) / 1_000_000_000L), s -> new Second());
        second.ops++;
        second.latency.recordValue(corrected);
        if (successes.contains(outcome)) {
            second.successes++;
            successesByOperation.merge(operation, 1L, Long::sum);
        }
        if (errors.contains(outcome)) {
            second.errors++;
        }
        return true;
    }

    /** Latency from the intended start (coordinated omission corrected), every outcome. */
    public synchronized LatencyStats latency() {
        return LatencyStats.of(latency);
    }

    /** Latency from the actual start: the server's time, uncorrected. */
    public synchronized LatencyStats serviceTime() {
        return LatencyStats.of(serviceTime);
    }

    public synchronized Map<String, LatencyStats> latencyByOutcome() {
        Map<String, LatencyStats> result = new TreeMap<>();
        byOutcome.forEach((k, h) -> result.put(k, LatencyStats.of(h)));
        return result;
    }

    public synchronized Map<String, LatencyStats> latencyByOperation() {
        Map<String, LatencyStats> result = new TreeMap<>();
        byOperation.forEach((k, h) -> result.put(k, LatencyStats.of(h)));
        return result;
    }

    /** Counts per outcome, measured window only. */
    public synchronized Map<String, Long> outcomes() {
        return new TreeMap<>(outcomes);
    }

    /** Successful requests per operation, measured window only. */
    public synchronized Map<String, Long> successesByOperation() {
        return new TreeMap<>(successesByOperation);
    }

    public synchronized long successes() {
        return outcomes.entrySet().stream().filter(e -> successes.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    public synchronized long operations() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One point per second of the window, by when the answers came in ({@code t} = 1 is the first second). A
     * second with no answer shows zeros, so a stall is visible as a gap.
     *
     * @param seconds how many seconds the window has; later answers (the drain) are added after it
     */
    public synchronized List<TimelinePoint> timeline(long seconds) {
        long last = Math.max(seconds, timeline.isEmpty() ? 0 : timeline.lastKey() + 1);
        List<TimelinePoint> points = new ArrayList<>();
        for (long s = 0; s < last; s++) {
            Second second = timeline.get(s);
            points.add(second == null ? new TimelinePoint(s + 1, 0, 0, 0, 0, 0)
                    : new TimelinePoint(s + 1, second.ops, second.successes, second.errors,
                            Math.round(second.latency.getValueAtPercentile(50)) / 1000.0,
                            Math.round(second.latency.getValueAtPercentile(99)) / 1000.0));
        }
        return points;
    }

    /** What the progress line shows: completions in the last whole second, p99 so far, errors so far (warm-up included). */
    public synchronized Live live(long nowNanos) {
        long second = (nowNanos - liveOriginNanos) / 1_000_000_000L;
        return new Live(liveCompletions.getOrDefault(second - 1, 0L),
                liveLatency.getTotalCount() == 0 ? 0 : liveLatency.getValueAtPercentile(99) / 1000.0, liveErrors,
                liveLatency.getTotalCount());
    }

    /** @param opsLastSecond answers in the last whole second; {@code p99Ms} over every answer so far */
    public record Live(long opsLastSecond, double p99Ms, long errors, long total) {
    }

    /**
     * One second of the measured window.
     *
     * @param t the second, from 1
     * @param opsPerS answers that came in during it
     * @param successPerS successful ones
     * @param errors errors among them
     * @param p50Ms median latency (corrected) of those answers
     * @param p99Ms 99th percentile latency (corrected) of those answers
     */
    public record TimelinePoint(long t, long opsPerS, long successPerS, long errors, double p50Ms, double p99Ms) {
    }
}
