/** A participant's audit: its resource's invariants against its branches ({@code GET /audit}). */
package io.dtxlab.participant.audit;
