/**
 * The instrument behind {@code ./dtx bench} and {@code ./dtx seed}: drives a workload (orders, master-slave kv,
 * quorums) against a running cluster in a closed or open loop, records latencies in HdrHistogram (open-loop
 * latencies corrected for coordinated omission, as wrk2 does), scrapes every node's {@code /actuator/prometheus}
 * around the measured window for CPU, memory, messages and leader changes, audits the cluster afterwards, and
 * reports as a terminal table, JSON and a self-contained HTML page. Plain Java with Apache HttpClient's blocking API
 * (see {@link io.dtxlab.bench.Http}) and no Spring, so that the client costs the cluster as little as possible.
 */
package io.dtxlab.bench;
