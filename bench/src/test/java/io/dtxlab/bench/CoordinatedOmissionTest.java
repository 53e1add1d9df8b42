package io.dtxlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CoordinatedOmissionTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void theScheduleSpacesRequestsByOneOverTheRate() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(5 * S, 100);

        assertThat(schedule.intendedStart(0)).isEqualTo(5 * S);
        assertThat(schedule.intendedStart(1)).isEqualTo(5 * S + 10 * MS);
        assertThat(schedule.intendedStart(100)).isEqualTo(6 * S);
        assertThat(schedule.dueBy(5 * S - 1)).isZero();
        assertThat(schedule.dueBy(5 * S)).isEqualTo(1);
        assertThat(schedule.dueBy(5 * S + 25 * MS)).isEqualTo(3);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0)).hasMessageContaining("rate");
    }

    /**
     * One connection at 100 requests/s; the server stalls for 1 s on the first request, then answers each in 1 ms.
     * The 99 requests due during the stall wait for it: measured from their intended starts they spread over 0..1 s;
     * measured from when they went out, only the first is slow.
     */
    @Test
    void aOneSecondStallAtHundredPerSecondShowsAsAHundredSlowSamplesNotOne() {
        long origin = 0;
        LatencyRecorder recorder = new LatencyRecorder(origin, origin + 2 * S, Set.of("OK"), Set.of("ERROR"), origin);
        OpenLoopSchedule schedule = new OpenLoopSchedule(origin, 100);
        FakeServer server = new FakeServer(origin, 1 * S);

        long connectionFreeAt = origin; // one request in flight at most: the next goes out when the last is answered
        for (long i = 0; i < 200; i++) {
            long intended = schedule.intendedStart(i);
            long actual = Math.max(intended, connectionFreeAt);
            long end = actual + server.serviceTime(actual);
            recorder.record("read", "OK", intended, actual, end);
            connectionFreeAt = end;
        }

        LatencyStats corrected = recorder.latency();
        LatencyStats service = recorder.serviceTime();
        assertThat(corrected.count()).isEqualTo(200);
        // the first second's 100 requests are spread over 0..1 s, the next second's are fast
        assertThat(corrected.max()).isCloseTo(1000, within(2.0));
        assertThat(recorder.latencyByOperation().get("read").p99()).isGreaterThan(970);
        assertThat(corrected.p90()).isGreaterThan(750);
        // uncorrected: a single slow sample, everything else 0.1 ms
        assertThat(service.max()).isCloseTo(1000, within(2.0));
        assertThat(service.p99()).isLessThan(1);
        assertThat(service.p50()).isLessThan(1);
    }

    @Test
    void theStalledSecondAloneHasItsMedianHalfwayThroughTheStall() {
        LatencyRecorder recorder = new LatencyRecorder(0, 1 * S, Set.of("OK"), Set.of(), 0);
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 100);
        FakeServer server = new FakeServer(0, 1 * S);
        long free = 0;
        for (long i = 0; i < 100; i++) {
            long intended = schedule.intendedStart(i);
            long actual = Math.max(intended, free);
            long end = actual + server.serviceTime(actual);
            recorder.record("read", "OK", intended, actual, end);
            free = end;
        }

        assertThat(recorder.latency().count()).isEqualTo(100);
        assertThat(recorder.latency().p50()).isCloseTo(500, within(25.0));
        assertThat(recorder.latency().p90()).isCloseTo(900, within(25.0));
        assertThat(recorder.serviceTime().p50()).isLessThan(2);
        assertThat(recorder.serviceTime().max()).isCloseTo(1000, within(2.0));
    }

    @Test
    void warmUpSamplesFeedTheProgressLineButNotTheReport() {
        LatencyRecorder recorder = new LatencyRecorder(1 * S, 3 * S, Set.of("OK"), Set.of("ERROR"), 0);

        assertThat(recorder.record("w", "OK", S / 2, S / 2, S / 2 + 5 * MS)).isFalse();
        assertThat(recorder.record("w", "ERROR", S / 2, S / 2, S / 2 + 5 * MS)).isFalse();
        assertThat(recorder.record("w", "OK", 2 * S, 2 * S, 2 * S + 5 * MS)).isTrue();
        assertThat(recorder.record("w", "OK", 3 * S, 3 * S, 3 * S + 5 * MS)).isFalse();

        assertThat(recorder.operations()).isEqualTo(1);
        assertThat(recorder.outcomes()).containsExactly(java.util.Map.entry("OK", 1L));
        assertThat(recorder.live(S + 1).errors()).isEqualTo(1);
        assertThat(recorder.live(S + 1).opsLastSecond()).isEqualTo(2);
        assertThat(recorder.timeline(2)).hasSize(2);
        assertThat(recorder.timeline(2).get(1).opsPerS()).isEqualTo(1);
        assertThat(recorder.timeline(2).get(0).opsPerS()).isZero();
    }

    /** A server that answers a request sent during [stallStart, stallStart + stall) only when the stall is over. */
    private record FakeServer(long stallStart, long stall) {
        long serviceTime(long sentAt) {
            if (sentAt >= stallStart && sentAt < stallStart + stall) {
                return stallStart + stall - sentAt;
            }
            return MS / 10;
        }
    }
}
