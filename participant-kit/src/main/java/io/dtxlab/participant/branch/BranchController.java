package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.Reply;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The coordinator's entry to this participant (cluster token required). */
@RestController
@Tag(name = "Branches (coordinator)", description = "Prepare, commit and abort of this participant's branches; "
        + "apply without atomic commitment")
class BranchController {

    private final BranchService branches;

    BranchController(BranchService branches) {
        this.branches = branches;
    }

    @PostMapping("/internal/branches/{xid}/prepare")
    @Operation(summary = "Phase 1: do the tentative work and vote YES, or vote NO with a reason")
    BranchReply prepare(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.PREPARE, message));
    }

    @PostMapping("/internal/branches/{xid}/commit")
    @Operation(summary = "Phase 2: apply the decision COMMIT (idempotent)")
    BranchReply commit(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.COMMIT, message));
    }

    @PostMapping("/internal/branches/{xid}/abort")
    @Operation(summary = "Apply the decision ABORT, 2PC or 3PC (idempotent; before any prepare it is an empty rollback)")
    BranchReply abort(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.ABORT, message));
    }

    @PostMapping("/internal/branches/{xid}/can-commit")
    @Operation(summary = "3PC phase 1: could the work be done? Vote without locking anything")
    BranchReply canCommit(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.CAN_COMMIT, message));
    }

    @PostMapping("/internal/branches/{xid}/pre-commit")
    @Operation(summary = "3PC phase 2: take the locks (reserve) and acknowledge; from here a timeout commits")
    BranchReply preCommit(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.PRE_COMMIT, message));
    }

    @PostMapping("/internal/branches/{xid}/do-commit")
    @Operation(summary = "3PC phase 3: commit (idempotent)")
    BranchReply doCommit(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.COMMIT, message));
    }

    @PostMapping("/internal/branches/{xid}/apply")
    @Operation(summary = "No atomic commitment (NONE): reserve and apply at once in one local transaction, ACK; or "
            + "VOTE_NO with the reason if the resource refuses. Nothing is undone later; a repeat gets the same answer")
    BranchReply apply(@PathVariable String xid, @Valid @RequestBody BranchMessage message) {
        return answer(branches.handle(xid, BranchCommand.APPLY, message));
    }

    /** A stale epoch or a contradiction is refused with 409, so the sender sees it as REFUSED. */
    private static BranchReply answer(BranchReply reply) {
        if (reply.reply() == Reply.STALE || reply.reply() == Reply.CONFLICT) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, reply.reason());
            problem.setTitle(reply.reply() == Reply.STALE ? "Stale coordinator epoch" : "Conflicts with the branch's outcome");
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
