/** Replication as this replica sees it. */
package io.dtxlab.replica.replication;
