package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Branches", description = "This participant's branches of global transactions, and which are in doubt")
@Transactional(readOnly = true)
class BranchQueryController {

    private final BranchRepository branches;
    private final BranchService service;
    private final Clock clock = Clock.systemUTC();

    BranchQueryController(BranchRepository branches, BranchService service) {
        this.branches = branches;
        this.service = service;
    }

    @GetMapping("/branches")
    @Operation(summary = "List branches, newest first; state=PREPARED lists the branches in doubt")
    List<BranchView> list(@RequestParam(required = false) BranchState state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100_000) int limit) {
        Instant now = clock.instant();
        List<Branch> found = state == null
                ? branches.findAllByOrderByUpdatedAtDesc(Limit.of(limit))
                : branches.findAllByStateOrderByUpdatedAtDesc(state, Limit.of(limit));
        return found.stream().map(b -> b.view(service.participant(), now)).toList();
    }

    @GetMapping("/branches/{xid}")
    @Operation(summary = "Show this participant's branch of one transaction")
    @ApiResponse(responseCode = "200", description = "The branch: its state, the work it holds, and since when")
    @ApiResponse(responseCode = "404", description = "This participant holds no branch of the transaction")
    BranchView one(@PathVariable String xid) {
        return branches.findById(xid).map(b -> b.view(service.participant(), clock.instant()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no branch of transaction '" + xid + "' here"));
    }
}
