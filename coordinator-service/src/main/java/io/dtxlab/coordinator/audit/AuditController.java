package io.dtxlab.coordinator.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@Tag(name = "Audit", description = "Check finished transactions against every participant")
class AuditController {

    private final Audit audit;

    AuditController(Audit audit) {
        this.audit = audit;
    }

    @GetMapping("/audit")
    @Operation(summary = "List transactions with a mixed outcome (some branches committed, some aborted), half-done "
            + "NONE transactions, and branches in doubt; check the participants' conservation invariants",
            description = "limit: how many of the most recent transactions to check (up to 100,000: a benchmark "
                    + "run); each participant is asked once for its 2 x limit most recent branches")
    AuditReport audit(@RequestParam(defaultValue = "500") @Min(1) @Max(Audit.MAX_LIMIT) int limit) {
        return audit.run(limit);
    }
}
