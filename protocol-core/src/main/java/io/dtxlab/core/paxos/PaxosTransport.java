package io.dtxlab.core.paxos;

/**
 * Carries messages to other nodes. Delivery may fail, be late, be duplicated or be reordered: the protocol copes. A
 * send should not block (queue it, or fire an asynchronous request) and must not throw for an unreachable peer.
 */
@FunctionalInterface
public interface PaxosTransport {

    void send(PaxosMessage message);
}
