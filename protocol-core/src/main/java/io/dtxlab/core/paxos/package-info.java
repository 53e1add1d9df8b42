/**
 * Multi-Paxos with a leased leader, as a pure state machine: the consensus core of the highly available 2PC
 * coordinator. Design note with state diagrams and message flow: {@code README.md} in this folder.
 *
 * <h2>What it does</h2>
 * A group of nodes (3 by default) chooses a log of values, slot by slot. One node at a time leads: it won phase 1
 * (prepare/promise) with its ballot, after a pre-vote, and holds a lease that heartbeats and answered accepts renew;
 * a node that hears a live leader never helps to depose it (pre-vote, check-quorum). The leader's ballot is the
 * coordinator's fencing epoch ({@link io.dtxlab.core.paxos.PaxosStatus#epoch()}).
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
 * PaxosNode node = PaxosNode.recover(config, h2Storage, new Random(seedOrEntropy), clock.millis(), appliedThrough);
 *
 * // simplest: one thread (or one lock) owns the node; every call is handled completely, persist -> send -> apply
 * void handle(Ready ready) {
 *     for (SlotValue chosen : ready.persist(h2Storage)     // 1. durable (H2 commit) before anything leaves
 *                                  .send(httpTransport)) { // 2. fire-and-forget to the peers
 *         stateMachine.apply(chosen);                      // 3. in slot order, no gaps, no-ops included
 *     }
 * }
 * // pipelined (what the coordinator does): the lock covers only the node's step; a PersistPipeline queues the
 * // Ready, lets heartbeats and pre-votes overtake, and one writer thread writes merged batches, then sends, then
 * // hands the chosen values to an apply thread. See PersistPipeline.
 *
 * when node.nextDeadline() comes: handle(node.tick(clock.millis()))   (ticking earlier is harmless)
 * on a peer's message:      handle(node.step(message, clock.millis()))
 * to log a BEGIN/DECISION:  Proposal p = node.propose(records, clock.millis()); handle(p.ready());
 *                           if (!p.accepted()) -> 503 or forward to p.leaderHint()
 *                           else record i is decided when slot p.slots().get(i) comes out of step 3 with it
 *                           (a different value there means leadership changed: propose again)
 * for GET /cluster:         node.status(clock.millis())  -- leader, ballot, epoch, lease expiry, log position
 * before resolving in-doubt transactions after a failover: node.caughtUp(clock.millis()), and the application
 *                           applied through node.recoveredThrough()
 * }</pre>
 * A restarted node ({@link io.dtxlab.core.paxos.PaxosNode#recover(PaxosConfig, PaxosStorage, java.util.Random, long,
 * long)}) hands out the chosen log again after the slot the application's durable state includes, in its first
 * {@code Ready}. The adapter compacts the log below that point ({@link io.dtxlab.core.paxos.PaxosNode#compact}); a
 * follower that lacks discarded slots gets a snapshot of the application's state instead
 * ({@link io.dtxlab.core.paxos.Ready#snapshotsTo()}, {@link io.dtxlab.core.paxos.PaxosMessage.InstallSnapshot},
 * {@link io.dtxlab.core.paxos.PaxosNode#snapshotInstalled}). The clock passed in must be
 * monotonic per node (the JVM's monotonic nanosecond clock in milliseconds, read by the adapter); clocks of different nodes
 * may drift apart by at most {@link io.dtxlab.core.paxos.PaxosConfig#maxClockDrift()} per lease duration.
 *
 * <p>Messages ({@link io.dtxlab.core.paxos.PaxosMessage}) are records of strings, longs, ballots and lists, easy to
 * send as JSON with the record's simple name as the type. One {@code Accept} carries up to
 * {@link io.dtxlab.core.paxos.PaxosConfig#maxBatch()} values, so proposals made together cost one round trip and one
 * disk write per node; a single decision costs {@code 2(n-1)} messages (accept, accepted), 4 with 3 nodes: the
 * followers learn it from the leader's next accept, which names its first unchosen slot (like Raft's commit index),
 * or from a heartbeat {@link io.dtxlab.core.paxos.PaxosConfig#learnDelay()} later when no accept follows.
 */
package io.dtxlab.core.paxos;
