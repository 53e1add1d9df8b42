/**
 * {@code ./dtx chaos}: Jepsen's shape on the processes of a running cluster. A seeded {@link
 * io.dtxlab.launcher.chaos.Nemesis} crashes (SIGKILL, then a restart from the node's files), partitions (the nodes'
 * partition API) and pauses (SIGSTOP, SIGCONT) nodes, one fault at a time, while clients run a workload and every
 * operation and fault goes into a history that checkers judge afterwards.
 */
package io.dtxlab.launcher.chaos;
