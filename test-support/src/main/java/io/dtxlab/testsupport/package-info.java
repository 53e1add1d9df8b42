/**
 * Runs lab nodes inside one test JVM, for scenario tests across services. {@link
 * io.dtxlab.testsupport.LabCluster} starts any set of nodes, each its own Spring application context
 * with its own port, data directory (real H2 files) and node id, wired to its peers and to one
 * embedded KRaft broker; it crashes a node (its database is cut off at once, then the context is
 * dropped, so only what reached its files survives), restarts it on the same files, and partitions
 * nodes. Scenario tests read like the protocol: given this fault at this point, the outcome is that.
 */
package io.dtxlab.testsupport;
