/** The branch record, the step executor, and the endpoints for the coordinator and for users. */
package io.dtxlab.participant.branch;
