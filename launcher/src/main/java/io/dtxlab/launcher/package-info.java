/**
 * {@code ./dtx}: runs the whole lab on one machine. The launcher JVM hosts a real single-node Kafka
 * broker and starts every service node as its own OS process, so a node can be killed and restarted
 * like a real server while the rest of the cluster keeps running.
 *
 * <p>Packages by feature: {@code up} (run the cluster), {@code node} (start/stop/kill/logs of one node),
 * {@code status}, {@code token}, {@code bench}, {@code chaos}, {@code tour}; and what they share: {@code workspace}
 * (the data dir layout, settings and tokens), {@code process} (pid files, spawning, JVM flags, stopping),
 * {@code control} (the running cluster: signals, restarts, partitions), {@code health}, {@code kafka}, {@code net}.
 */
package io.dtxlab.launcher;
