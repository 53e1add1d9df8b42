/**
 * Meters every node publishes beyond Micrometer's own (the process's resident memory and its threads' wait for a
 * core), and the latency buckets of every dtx timer.
 */
package io.dtxlab.platform.metrics;
