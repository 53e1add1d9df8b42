/** The coordinator cluster as this node sees it: its members and which of them it can reach. */
package io.dtxlab.coordinator.cluster;
