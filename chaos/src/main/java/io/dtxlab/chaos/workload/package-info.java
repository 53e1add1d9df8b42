/**
 * The clients of a chaos run: what they ask of the cluster, how each answer goes into the history (ok, fail or info),
 * and what state they gather afterwards for the checkers.
 *
 * <table>
 * <caption>The workloads ({@link io.dtxlab.chaos.workload.Workloads#create})</caption>
 * <tr><th>name</th><th>clients</th><th>checker</th></tr>
 * <tr><td>{@code orders}</td><td>{@code POST /orders} with an Idempotency-Key each</td>
 * <td>{@link io.dtxlab.chaos.check.OrdersChecker}</td></tr>
 * <tr><td>{@code register}</td><td>master-slave SYNC: writes and reads on the master</td>
 * <td>{@link io.dtxlab.chaos.check.LinearizableRegisterChecker}</td></tr>
 * <tr><td>{@code async}</td><td>master-slave ASYNC: writes on the master</td>
 * <td>{@link io.dtxlab.chaos.check.LostWritesChecker}</td></tr>
 * <tr><td>{@code quorum}</td><td>Dynamo quorums: reads, blind writes, read-then-writes</td>
 * <td>{@link io.dtxlab.chaos.check.QuorumChecker}</td></tr>
 * </table>
 * A runner makes one {@link io.dtxlab.bench.Http} ({@link io.dtxlab.chaos.workload.Workloads#http}), calls
 * {@link io.dtxlab.chaos.workload.Workload#prepare()} before any fault, runs
 * {@link io.dtxlab.chaos.workload.Workload#client} on one thread per client (distinct names) while the nemesis works,
 * heals every fault, joins the clients, calls {@link io.dtxlab.chaos.workload.Workload#checkers} and checks the
 * history with them, then closes the client. Every key a run writes and every Idempotency-Key it sends is new to the
 * run, so runs against the same cluster do not see one another.
 */
package io.dtxlab.chaos.workload;
