/** In-doubt branches learn the decision from the coordinator (termination for 2PC: ask, and wait if nobody knows). */
package io.dtxlab.participant.recovery;
