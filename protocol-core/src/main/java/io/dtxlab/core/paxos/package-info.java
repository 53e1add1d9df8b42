/**
 * Multi-Paxos with a leased leader, as a pure state machine: the consensus core of the highly available 2PC
 * coordinator. Design note with state diagrams and message flow: {@code README.md} in this folder.
 *
 * <h2>What it does</h2>
 * A group of nodes (3 by default) chooses a log of values, slot by slot. One node at a time leads: it won phase 1
 * (prepare/promise) with its ballot and holds a lease that heartbeats renew. The leader's ballot is the coordinator's
 * fencing epoch ({@link io.dtxlab.core.paxos.PaxosStatus#epoch()}).
 *
 * <h2>What it does NOT do</h2>
 * No threads, no network, no disk, no clock, no callbacks. {@link io.dtxlab.core.paxos.PaxosNode} takes a message, a
 * tick or a proposal, plus the node's clock reading, and returns a {@link io.dtxlab.core.paxos.Ready}: the state to
 * persist, the messages to send and the chosen values to apply. Storage ({@link io.dtxlab.core.paxos.PaxosStorage})
 * and transport ({@link io.dtxlab.core.paxos.PaxosTransport}) are the adapter's.
 *
 * <h2>Using it from an adapter</h2>
 * <pre>{@code
 * PaxosConfig config = PaxosConfig.defaults("coordinator-1", PaxosConfig.coordinators()); // coordinator-1..3
 * PaxosNode node = PaxosNode.recover(config, h2Storage, new Random(seedOrEntropy), clock.millis());
 *
 * // one thread (or one lock) owns the node; every call is handled completely, in the order persist -> send -> apply
 * void handle(Ready ready) {
 *     for (SlotValue chosen : ready.persist(h2Storage)     // 1. durable (H2 commit) before anything leaves
 *                                  .send(httpTransport)) { // 2. fire-and-forget to the peers
 *         if (!chosen.value().isNoop()) {
 *             transactionLog.apply(chosen.slot(), chosen.value().payload()); // 3. in slot order, no gaps
 *         }
 *     }
 * }
 * every 10 to 20 ms:        handle(node.tick(clock.millis()));
 * on a peer's message:      handle(node.step(message, clock.millis()));
 * to log a BEGIN/DECISION:  Proposal p = node.propose(record, clock.millis()); handle(p.ready());
 *                           if (!p.accepted()) -> 503 or forward to p.leaderHint()
 *                           else the record is decided when slot p.slots().get(0) comes out of step 3 with it
 *                           (a different value there means leadership changed: propose again)
 * for GET /cluster:         node.status(clock.millis())  -- leader, ballot, epoch, lease expiry, log position
 * before resolving in-doubt transactions after a failover: node.caughtUp(clock.millis())
 * }</pre>
 * A restarted node ({@link io.dtxlab.core.paxos.PaxosNode#recover}) hands out the whole chosen log again from slot 1
 * in its first {@code Ready}: the coordinator rebuilds its transaction table from it. The clock passed in must be
 * monotonic per node (the JVM's monotonic nanosecond clock in milliseconds, read by the adapter); clocks of different nodes
 * may drift apart by at most {@link io.dtxlab.core.paxos.PaxosConfig#maxClockDrift()} per lease duration.
 *
 * <p>Messages ({@link io.dtxlab.core.paxos.PaxosMessage}) are records of strings, longs, ballots and lists, easy to
 * send as JSON with the record's simple name as the type. One {@code Accept} carries up to
 * {@link io.dtxlab.core.paxos.PaxosConfig#maxBatch()} values, so proposals made together cost one round trip and one
 * disk write per node; a single decision costs {@code 3(n-1)} messages (accept, accepted, chosen), 6 with 3 nodes.
 */
package io.dtxlab.core.paxos;
