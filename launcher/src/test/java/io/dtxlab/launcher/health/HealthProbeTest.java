package io.dtxlab.launcher.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    @Test
    void theNodeSectionOfActuatorInfoIsRead() {
        assertThat(HealthProbe.parseInfo("{\"build\":{},\"node\":{\"id\":\"inventory\",\"role\":\"INVENTORY\",\"incarnation\":2}}"))
                .contains(new NodeInfo("inventory", "INVENTORY", 2));
        assertThat(HealthProbe.parseInfo("{}")).isEmpty();
        assertThat(HealthProbe.parseInfo("not json")).isEmpty();
    }

    @Test
    void aPortNobodyListensOnIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(new HealthProbe().health(port).join()).isEqualTo(Health.UNREACHABLE);
    }
}
