/**
 * The web console at {@code /console/}: one page of plain JavaScript, served by every node, that shows the cluster
 * live over server-sent events. It lives in the platform so that every node serves it with nothing to install and
 * the same build ({@code ./dtx up}, docker compose); the node that serves the page reads the rest of the cluster
 * for it as an observer ({@link io.dtxlab.platform.console.ClusterObserver}), follows the Kafka topic of cluster
 * events, and does either only while a browser is connected ({@link io.dtxlab.platform.console.ConsoleStream}).
 */
package io.dtxlab.platform.console;
