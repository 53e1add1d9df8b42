package io.dtxlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostSpeedTest {

    @Test
    void theFixedLoopTakesATimeInMilliseconds() {
        double ms = HostSpeed.loopMs();

        // how long is the host's business, not the test's: only that it is a time
        assertThat(ms).isPositive().isFinite();
    }

    @Test
    void aRunIsNotedWhenTheHostsSpeedChangedDuringIt() {
        assertThat(HostSpeed.changed(9.094, 10.117)).hasValueSatisfying(note ->
                assertThat(note).contains("9.094 ms, then 10.117 ms"));
        assertThat(HostSpeed.changed(10.117, 9.094)).isPresent();
        assertThat(HostSpeed.changed(9.0, 9.29)).isEmpty(); // 3 %: the spread of most runs
        assertThat(HostSpeed.changed(0, 9.0)).isEmpty(); // no figure, no note
    }
}
