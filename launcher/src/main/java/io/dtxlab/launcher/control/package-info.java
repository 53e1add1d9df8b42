/**
 * Hands on the processes of the cluster {@code ./dtx up} runs: finding it ({@link
 * io.dtxlab.launcher.control.RunningCluster}), SIGKILL, SIGSTOP and SIGCONT of its nodes, restarts from their files
 * and partitions through their API ({@link io.dtxlab.launcher.control.ProcessControl}). Shared by {@code ./dtx chaos}'s
 * nemesis and {@code ./dtx tour}.
 */
package io.dtxlab.launcher.control;
