/** The coordinator's durable log (BEGIN, DECISION, END), behind an interface that [D] replicates with Paxos. */
package io.dtxlab.coordinator.log;
