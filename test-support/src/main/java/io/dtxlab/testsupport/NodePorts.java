package io.dtxlab.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out ports for test nodes, each free for both TCP (HTTP) and UDP (peer datagrams) when handed out.
 *
 * <p>The ports come from {@value #FIRST}..{@value #LAST}, below Linux's default ephemeral range (32768-60999,
 * {@code /proc/sys/net/ipv4/ip_local_port_range}). A port picked by binding port 0 lies inside that range, so
 * between the pick and the node's bind (a few seconds, since nodes start one after another) any outgoing
 * connection of this JVM (an HTTP client, a Kafka client) could take it as its local port, and the same holds
 * for a crashed node's port before it restarts there. Nothing takes a port outside that range by chance.
 *
 * <p>Within a JVM, no port is handed out twice until the range wraps. Each JVM starts at a random place in the
 * range, so test JVMs running side by side seldom probe the same ports, and the probe skips any that is taken.
 */
final class NodePorts {

    static final int FIRST = 20_000;
    static final int LAST = 32_000;

    private static final AtomicInteger next =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(LAST - FIRST + 1));

    private NodePorts() {
    }

    /**
     * A port that was free for TCP and UDP on every local address when this returned.
     *
     * @throws IllegalStateException if no port in the range is free
     */
    static int next() {
        int span = LAST - FIRST + 1;
        for (int tries = 0; tries < span; tries++) {
            int port = FIRST + Math.floorMod(next.getAndIncrement(), span);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + ".." + LAST);
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket();
                DatagramSocket udp = new DatagramSocket(null)) {
            tcp.bind(new InetSocketAddress(port));
            udp.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
