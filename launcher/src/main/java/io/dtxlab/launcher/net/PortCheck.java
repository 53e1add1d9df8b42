package io.dtxlab.launcher.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a TCP port is taken. Two checks, because either alone misses cases: binding the wildcard
 * address (what Spring Boot does) fails if anyone listens on it, and connecting to localhost finds a
 * listener bound to 127.0.0.1 only (as Kafka is) on systems where the bind would still succeed.
 */
public final class PortCheck {

    private static final int CONNECT_TIMEOUT_MS = 300;

    private PortCheck() {
    }

    public static boolean inUse(int port) {
        return !canBind(port) || acceptsConnections(port);
    }

    /** A message per taken port, e.g. "port 8082 (inventory) is already in use"; empty if all are free. */
    public static List<String> taken(Map<Integer, String> ownerByPort) {
        List<String> problems = new ArrayList<>();
        ownerByPort.forEach((port, owner) -> {
            if (inUse(port)) {
                problems.add("port " + port + " (" + owner + ") is already in use");
            }
        });
        return problems;
    }

    static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Like Tomcat and Kafka: a socket of ours lingering in TIME_WAIT must not count as taken.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
