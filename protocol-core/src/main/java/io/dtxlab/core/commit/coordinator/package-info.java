/** The coordinator's side of one transaction: votes to decision, acknowledgements to end. */
package io.dtxlab.core.commit.coordinator;
