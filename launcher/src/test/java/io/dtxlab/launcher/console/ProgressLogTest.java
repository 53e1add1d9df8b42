package io.dtxlab.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLogTest {

    @Test
    void aProgressLineHasElapsedTimeNodeStateAndDetailInColumns() {
        assertThat(ProgressLog.format(14.23, "inventory", "UP", "http://localhost:8082"))
                .isEqualTo("[  14.2s] inventory       UP        http://localhost:8082");
    }

    @Test
    void aStepLineHasRoomForTheLongestModuleName() {
        assertThat(ProgressLog.formatStep(12.34, "inventory-service", "preparing fast start"))
                .isEqualTo("[  12.3s] inventory-service   preparing fast start");
        assertThat(ProgressLog.formatStep(1, "coordinator-service", "ready"))
                .isEqualTo("[   1.0s] coordinator-service ready");
    }

    @Test
    void secondsUseADotWhateverTheLocale() {
        assertThat(ProgressLog.seconds(42.06)).isEqualTo("42.1s");
    }
}
