/** Meters every node publishes beyond Micrometer's own: the process's resident memory. */
package io.dtxlab.platform.metrics;
