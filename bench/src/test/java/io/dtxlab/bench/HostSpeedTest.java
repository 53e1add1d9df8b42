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

}
