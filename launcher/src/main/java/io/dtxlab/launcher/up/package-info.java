/**
 * {@code ./dtx up}: checks that nothing is in the way, starts Kafka and every node, reports progress
 * until all are healthy, then watches them in the foreground until Ctrl-C or SIGTERM stops the lot.
 */
package io.dtxlab.launcher.up;
