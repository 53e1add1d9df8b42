/**
 * Atomic commitment (2PC, 3PC) as plain state machines, with no I/O, no threads and no clock of their own, and the
 * baseline without it (NONE: one apply per participant, nothing undone).
 * <ul>
 * <li>{@code participant}: what one branch does with each coordinator message ({@code BranchMachine});</li>
 * <li>{@code coordinator}: how the votes and acknowledgements of one transaction become a decision and an end
 * ({@code CommitRound}); without atomic commitment, how apply answers become an outcome ({@code ApplyRound}).</li>
 * </ul>
 * The services own persistence and transport, and must follow the order the results impose: a branch's new state
 * and its resource effect are stored in one local transaction before the reply leaves; a decision is stored
 * before any phase-2 message leaves.
 *
 * <pre>{@code
 * Participant branch (2PC)                      Coordinator (presumed abort)
 *
 *   (none) --prepare, resource ok--> PREPARED      BEGUN --all YES--------> COMMIT --all acks--> ENDED
 *   (none) --prepare, resource no--> ABORTED       BEGUN --a NO, an error,
 *   (none) --abort (empty rollback)-> ABORTED            or the timeout---> ABORT  --all acks--> ENDED
 *   PREPARED --commit--> COMMITTED                 restart: BEGUN without a decision --> ABORT
 *   PREPARED --abort---> ABORTED
 *   ABORTED  --prepare-> NO (a hanging branch is refused)
 * }</pre>
 */
package io.dtxlab.core.commit;
