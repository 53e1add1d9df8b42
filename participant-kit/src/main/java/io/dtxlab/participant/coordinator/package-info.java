/** The participant's view of the coordinator: where it is, and the fence against its deposed epochs. */
package io.dtxlab.participant.coordinator;
