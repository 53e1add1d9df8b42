package io.dtxlab.participant.audit;

import io.dtxlab.participant.branch.BranchService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
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
}
