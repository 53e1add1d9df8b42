/** The coordinator's durable log (BEGIN, DECISION, END), behind an interface; the coordinators replicate it with Paxos. */
package io.dtxlab.coordinator.log;
