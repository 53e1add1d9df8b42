/**
 * One node at a time, from another terminal while {@code ./dtx up} runs: {@code stop} (graceful),
 * {@code kill} (SIGKILL, a crash), {@code start} (detached, waits until healthy) and {@code logs}.
 */
package io.dtxlab.launcher.node;
