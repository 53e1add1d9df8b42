package io.dtxlab.participant.branch;

import io.dtxlab.contract.BranchBatch;
import io.dtxlab.contract.BranchBatchReply;
import io.dtxlab.contract.BranchMessageBody;
import io.dtxlab.contract.BranchReply;
import io.dtxlab.contract.CommitPaths;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.platform.messaging.PeerLinkRoute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The coordinator's entry to this participant (cluster token required): one message per request on its own path
 * (for curl and tests; the body is {@link BranchMessageBody}), or many in a batch ({@link CommitPaths#BATCH}), which
 * coordinators send over a peer link ({@link PeerLinkRoute}) when they can.
 */
@RestController
@Tag(name = "Branches (coordinator)", description = "Prepare, commit and abort of this participant's branches; "
        + "apply without atomic commitment; several transactions' messages in one batch")
class BranchController implements PeerLinkRoute<BranchBatch> {

    private static final String REFUSED = "Refused: the coordinator's epoch is stale (reply STALE: a newer leader "
            + "exists), or the message contradicts the branch's outcome (CONFLICT, e.g. a commit after an abort); "
            + "the problem names xid, participant, reply and state";

    private final BranchService branches;

    BranchController(BranchService branches) {
        this.branches = branches;
    }

    @PostMapping(CommitPaths.BATCH)
    @Operation(summary = "Several messages (any transactions, any commands) in one request: each handled in order, "
            + "exactly as if it came alone",
            description = "200 with one reply per message, in order. STALE and CONFLICT are replies here (not 409); a "
                    + "message that failed alone (e.g. an injected ERROR) has reply null and the reason. A saga's "
                    + "locking TRY that finds what it needs held only by unfinished transactions is answered BUSY and "
                    + "nothing is stored. An invalid "
                    + "batch (empty, over 512 messages, any invalid message) is a 400 problem detail and nothing is "
                    + "handled.")
    BranchBatchReply batch(@Valid @RequestBody BranchBatch batch) {
        return branches.handle(batch);
    }

    @Override
    public String path() {
        return CommitPaths.BATCH;
    }

    @Override
    public Class<BranchBatch> requestType() {
        return BranchBatch.class;
    }

    @Override
    public Object handle(BranchBatch batch) {
        return batch(batch);
    }

    @PostMapping("/internal/branches/{xid}/prepare")
    @Operation(summary = "Phase 1: do the tentative work and vote YES, or vote NO with a reason")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply prepare(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.PREPARE, body);
    }

    @PostMapping("/internal/branches/{xid}/commit")
    @Operation(summary = "Phase 2: apply the decision COMMIT (idempotent)")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply commit(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.COMMIT, body);
    }

    @PostMapping("/internal/branches/{xid}/abort")
    @Operation(summary = "Apply the decision ABORT, 2PC or 3PC (idempotent; before any prepare it is an empty rollback)")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply abort(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.ABORT, body);
    }

    @PostMapping("/internal/branches/{xid}/can-commit")
    @Operation(summary = "3PC phase 1: could the work be done? Vote without locking anything")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply canCommit(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.CAN_COMMIT, body);
    }

    @PostMapping("/internal/branches/{xid}/pre-commit")
    @Operation(summary = "3PC phase 2: take the locks (reserve) and acknowledge; from here a timeout commits")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply preCommit(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.PRE_COMMIT, body);
    }

    @PostMapping("/internal/branches/{xid}/do-commit")
    @Operation(summary = "3PC phase 3: commit (idempotent)")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply doCommit(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.COMMIT, body);
    }

    @PostMapping("/internal/branches/{xid}/apply")
    @Operation(summary = "No atomic commitment (NONE): reserve and apply at once in one local transaction, ACK; or "
            + "VOTE_NO with the reason if the resource refuses. Nothing is undone later; a repeat gets the same answer")
    @ApiResponse(responseCode = "200", description = "The reply: a vote (VOTE_YES, VOTE_NO with the reason) or an ACK")
    @ApiResponse(responseCode = "409", description = REFUSED)
    BranchReply apply(@PathVariable @Size(max = 64) @Pattern(regexp = CommitPaths.XID) String xid, @Valid @RequestBody BranchMessageBody body) {
        return single(xid, BranchCommand.APPLY, body);
    }

    /**
     * One message alone. A stale epoch or a contradiction is refused with 409 (problem properties {@code xid},
     * {@code participant}, {@code reply}: STALE or CONFLICT, {@code state}), so the sender sees it as REFUSED.
     */
    private BranchReply single(String xid, BranchCommand command, BranchMessageBody body) {
        BranchReply reply = branches.handle(body.toMessage(xid, command));
        if (reply.isRefusal()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, reply.reason());
            problem.setTitle(reply.reply() == Reply.STALE
                    ? "Stale coordinator epoch" : "Conflicts with the branch's outcome");
            problem.setProperty("xid", reply.xid());
            problem.setProperty("participant", reply.participant());
            problem.setProperty("reply", reply.reply().name());
            if (reply.state() != null) {
                problem.setProperty("state", reply.state().name());
            }
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
        return reply;
    }
}
