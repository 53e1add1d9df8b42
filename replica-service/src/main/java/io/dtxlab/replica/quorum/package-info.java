/**
 * Dynamo-style leaderless replication: N/R/W quorums, vector clocks with siblings, read repair, and a sloppy
 * quorum with hinted handoff. The protocol's rules live in plain Java in {@code io.dtxlab.core.quorum}
 * (clocks, reconciliation, ring, tally); this package is the edge: HTTP, H2 and the handoff timer.
 *
 * <h2>Who does what</h2>
 * <ul>
 * <li>{@link io.dtxlab.replica.quorum.QuorumController}: {@code PUT/GET /quorum/kv/{key}}, {@code /quorum/ring},
 * {@code /quorum/stats}, {@code /quorum/local/{key}}. Any node coordinates any key.</li>
 * <li>{@link io.dtxlab.replica.quorum.QuorumWrites} and {@link io.dtxlab.replica.quorum.QuorumReads}: the
 * coordinator's rounds. {@link io.dtxlab.replica.quorum.ReplicaChannel} reaches a replica: in-process for the
 * coordinator's own copy, else one {@code ClusterClient.postAsync} message each, all in parallel.</li>
 * <li>{@link io.dtxlab.replica.quorum.QuorumReplica} ({@code /internal/quorum/put|read}): a replica reconciles
 * what it receives with what it holds ({@link io.dtxlab.replica.quorum.VersionStore}), or keeps it as a hint
 * ({@link io.dtxlab.replica.quorum.HintStore}) when it stands in for an owner.</li>
 * <li>{@link io.dtxlab.replica.quorum.HintedHandoff}: a timer thread that hands hints back to owners that answer.</li>
 * </ul>
 *
 * <h2>A write</h2>
 * <pre>{@code
 * sequenceDiagram
 *     participant Client
 *     participant A as coordinator (owner 1)
 *     participant B as owner 2
 *     participant C as owner 3 (down)
 *     participant D as stand-in
 *     Client->>A: PUT /quorum/kv/k?w=2 {value, context}
 *     A->>A: dot = (A, A's next counter for k), past = context (counter committed first)
 *     par
 *         A->>A: store (own copy)
 *     and
 *         A->>B: quorum-put
 *     and
 *         A--xC: quorum-put (UNREACHABLE)
 *         A->>D: quorum-hint (for C)
 *     end
 *     B-->>A: ack (on disk)
 *     A-->>Client: 200 {clock, dot, context, acks [A, B], standIns, failed}
 *     D-->>A: ack (hint on disk)
 *     Note over D,C: when C answers again, D hands the hint over (hint-handoff) and deletes it
 * }</pre>
 *
 * <h2>A read</h2>
 * The coordinator asks all N owners at once and answers when R have answered: the reconciliation of their
 * versions, 200 with one, 300 Multiple Choices with siblings (and the merged context that resolves them). The
 * owners' answers that arrive later still count: once all are in, every owner that lacked a version of the
 * reconciled set is sent it (read repair). Read repair therefore never slows the answer down.
 *
 * <h2>Choices and their costs</h2>
 * <ul>
 * <li><b>Dotted version vectors, not plain clocks per coordinator.</b> A write gets a dot: the coordinator and its
 * next counter for the key, above every counter it gave the key or saw for itself in a version (kept in
 * {@code quorum_counter}). Its past is the client's context. A version is dropped only when another version's past
 * holds its dot, so two writes on top of one read are siblings even through the same coordinator, where plain
 * vector clocks lose one (Riak's fix, 2.0 {@code dvv_enabled}). A write without a context drops nothing. Clients
 * still see a {@code clock} (past with the dot) and write with a {@code context}; a read's is the merge of the
 * siblings' clocks, a write answer's omits its own dot when another write through the node came in between.</li>
 * <li><b>Contexts are checked.</b> Known replicas, counters from 0 to 2^62, and the coordinator's own entry not
 * above what it issued: otherwise a 400 naming {@code context.<node>}, before a counter is taken.</li>
 * <li><b>Answer at W, replicate to N.</b> The remaining owners still get the write after the answer. A write that
 * does not reach W is reported (503, naming who has it) but not rolled back: Dynamo has no undo.</li>
 * <li><b>Sloppy quorum.</b> A stand-in's ack counts towards W, and a stand-in answers reads for the owner it
 * replaces; so R + W &gt; N is not a strict guarantee while owners are down, which is Dynamo's trade for
 * availability.</li>
 * <li><b>No epochs.</b> Leaderless replication has no leader to fence; vector clocks order versions instead.</li>
 * </ul>
 */
package io.dtxlab.replica.quorum;
