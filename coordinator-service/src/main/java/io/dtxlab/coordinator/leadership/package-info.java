/** Who leads the coordinator cluster, behind an interface that the Paxos election implements. */
package io.dtxlab.coordinator.leadership;
