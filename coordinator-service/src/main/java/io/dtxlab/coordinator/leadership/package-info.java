/** Who leads the coordinator cluster, behind an interface that [D]'s Paxos election implements. */
package io.dtxlab.coordinator.leadership;
