/**
 * Dynamo-style leaderless replication as plain Java: vector clocks ({@link io.dtxlab.core.quorum.VectorClock}),
 * dotted version vectors (a {@link io.dtxlab.core.quorum.Version} is a {@link io.dtxlab.core.quorum.Dot} and a
 * past: Preguiça et al., "Dotted Version Vectors", 2010), sibling reconciliation ({@link io.dtxlab.core.quorum.Siblings}), the consistent-hashing ring with virtual nodes
 * and preference lists ({@link io.dtxlab.core.quorum.HashRing}), the N/R/W knobs ({@link io.dtxlab.core.quorum.Quorum}),
 * and one request's round at its coordinator, with its stand-ins for a sloppy quorum
 * ({@link io.dtxlab.core.quorum.QuorumRound}, counting with {@link io.dtxlab.core.quorum.QuorumTally}).
 * {@code QuorumSimulationTest} runs them together under seeded faults.
 * <p>
 * What this package does not do: no threads, no network, no storage, no clock. The replica service's
 * {@code io.dtxlab.replica.quorum} package sends the messages, stores the versions and keeps the hints.
 *
 * <pre>
 * D1 [A:1] --&gt; D2 [A:2] --+--&gt; D3 [A:2, B:1] --+
 *  (via A)     (via A)    |     (via B)        +--&gt; D5 [A:3, B:1, C:1]  (via A, context [A:2, B:1, C:1])
 *                         +--&gt; D4 [A:2, C:1] --+
 *                               (via C)
 * </pre>
 * D2 covers D1; D3 and D4 both cover D2 and are concurrent, so a read returns both, as siblings; a write whose
 * context is their merge covers both and resolves them. The clocks shown are each version's past with its dot;
 * D3 is dot (B,1) with past [A:2]. Two writes through A on top of D2's context would be dots (A,3) and (A,4), both
 * with past [A:2]: neither holds the other's dot, so they are siblings too (a plain clock [A:4] would descend [A:3]).
 */
package io.dtxlab.core.quorum;
