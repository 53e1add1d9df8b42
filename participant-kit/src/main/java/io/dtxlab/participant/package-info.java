/**
 * The participant kit: everything order, inventory and payment share as participants of a global transaction.
 * A service switches it on with {@link io.dtxlab.participant.EnableParticipant} and supplies one
 * {@link io.dtxlab.participant.resource.BranchResource}: what prepare reserves, what commit applies, what abort
 * releases. The kit supplies the rest:
 * <ul>
 * <li>{@code branch}: the durable branch record, the step executor around the pure
 * {@link io.dtxlab.core.commit.participant.BranchMachine}, and the endpoints: the coordinator's
 * {@code POST /internal/branches/batch} (many messages, any transactions, one request) and
 * {@code POST /internal/branches/{xid}/prepare|commit|abort|can-commit|pre-commit|do-commit|apply} (one message), in
 * the wire contract of {@code io.dtxlab.contract}; and {@code GET /branches};</li>
 * <li>{@code coordinator}: where the coordinator is ({@code CoordinatorDirectory}, which discovers the leader) and the
 * epoch fence;</li>
 * <li>{@code recovery}: in-doubt branches ask the coordinator for the decision, at start and then periodically; 3PC
 * branches decide alone on timeout. The timers read the branch table only when a branch waits long enough, so a
 * participant at rest costs nothing.</li>
 * </ul>
 * Durability: a branch's state and its resource effect are one local H2 transaction, committed (WRITE_DELAY=0:
 * handed to the OS) before the vote or acknowledgement is answered. A YES therefore survives a crash of the
 * participant's process; H2 does not fsync each commit, so it does not survive a power loss of the machine.
 */
package io.dtxlab.participant;
