package io.dtxlab.participant.audit;

import io.dtxlab.participant.branch.BranchService;
import io.dtxlab.participant.branch.BranchSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit", description = "Check this participant's data against its branches")
class AuditController {

    private final BranchService branches;

    AuditController(BranchService branches) {
        this.branches = branches;
    }

    @GetMapping("/audit")
    @Operation(summary = "Check the conservation invariants of this participant against every branch it holds")
    ParticipantAudit audit() {
        return branches.audit();
    }

    @GetMapping("/audit/branches")
    @Operation(summary = "List the most recent branches in compact form (xid, protocol, state, updatedAt), newest "
            + "first: what the coordinator's audit compares with its decisions")
    List<BranchSummary> branches(@RequestParam(defaultValue = "1000") @Min(1) @Max(200_000) int limit) {
        return branches.summaries(limit);
    }
}
