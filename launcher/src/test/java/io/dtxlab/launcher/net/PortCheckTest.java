package io.dtxlab.launcher.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aListeningPortIsReportedWithItsOwner() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();

            assertThat(PortCheck.inUse(port)).isTrue();
            assertThat(PortCheck.taken(Map.of(port, "inventory")))
                    .containsExactly("port " + port + " (inventory) is already in use");
        }
    }

    @Test
    void aListenerOnLoopbackOnlyIsFoundToo() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            assertThat(PortCheck.inUse(socket.getLocalPort())).isTrue();
        }
    }

    @Test
    void aPortNobodyListensOnIsFree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(PortCheck.inUse(port)).isFalse();
        assertThat(PortCheck.taken(Map.of(port, "order"))).isEmpty();
    }
}
