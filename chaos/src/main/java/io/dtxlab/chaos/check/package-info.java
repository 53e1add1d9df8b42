/**
 * The checkers: pure functions from a run's {@link io.dtxlab.chaos.history.History} (and, where a rule needs it, the
 * state gathered after the run) to a {@link io.dtxlab.chaos.check.Verdict}: VALID, INVALID with the
 * {@link io.dtxlab.chaos.check.Finding}s that break a rule (the key and the operations), or UNKNOWN when a check
 * could not finish. No I/O, no clock, no threads.
 *
 * <table>
 * <caption>Which checker for which run</caption>
 * <tr><th>run</th><th>checker</th><th>after the run it needs</th></tr>
 * <tr><td>master-slave, SYNC</td><td>{@link io.dtxlab.chaos.check.LinearizableRegisterChecker}</td><td>nothing</td></tr>
 * <tr><td>master-slave, ASYNC with failover</td><td>{@link io.dtxlab.chaos.check.LostWritesChecker}</td>
 * <td>{@link io.dtxlab.chaos.check.ReplicationSnapshot}: the new master's log and the lost-writes ledger</td></tr>
 * <tr><td>Dynamo quorums, R + W &gt; N</td><td>{@link io.dtxlab.chaos.check.QuorumChecker}</td><td>nothing</td></tr>
 * <tr><td>orders under 2PC, 3PC or NONE</td><td>{@link io.dtxlab.chaos.check.OrdersChecker}</td>
 * <td>{@link io.dtxlab.chaos.check.OrdersSnapshot}: branches, stock and accounts, and the xids of orders of
 * unknown outcome sent again with their Idempotency-Key</td></tr>
 * </table>
 * Each checker's Javadoc gives the shape of the operations it reads (their functions and values: the services'
 * request and answer bodies as they are) and the source of its rules.
 */
package io.dtxlab.chaos.check;
