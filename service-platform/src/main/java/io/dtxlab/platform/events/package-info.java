/**
 * Cluster events on Kafka (topic {@code dtx.cluster-events}): a node announces each start; later
 * features publish leadership changes and decisions here for timelines and a console.
 */
package io.dtxlab.platform.events;
