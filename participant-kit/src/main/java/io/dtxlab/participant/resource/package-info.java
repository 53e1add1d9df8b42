/** The service-provided part of a participant: its resource. */
package io.dtxlab.participant.resource;
