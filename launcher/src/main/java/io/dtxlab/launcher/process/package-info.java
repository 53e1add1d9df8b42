/**
 * OS processes: pid files that survive the launcher, liveness that is not fooled by pid reuse or
 * zombies, the JVM flags of a node, spawning a node detached from our terminal (from a class-data
 * archive of its module when there is one: {@link io.dtxlab.launcher.process.FastStart}), and stopping
 * politely before forcibly.
 */
package io.dtxlab.launcher.process;
