/**
 * The real Kafka broker (the same code as Kafka's own distribution) running single-node KRaft inside
 * the launcher JVM: no Docker, no extra process to track, and it stops when the launcher stops.
 */
package io.dtxlab.launcher.kafka;
