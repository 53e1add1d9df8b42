/** The audit: decisions against branches (mixed outcomes), and the participants' invariants ({@code GET /audit}). */
package io.dtxlab.coordinator.audit;
