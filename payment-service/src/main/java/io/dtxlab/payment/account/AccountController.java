package io.dtxlab.payment.account;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Accounts", description = "Balance, funds held by prepared branches, money charged, and money deposited")
@Transactional(readOnly = true)
class AccountController {

    /** Most accounts one {@code GET /accounts} lists. */
    static final int MAX_LIST = 10_000;

    private final AccountLedger accounts;

    AccountController(AccountLedger accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/accounts")
    @Operation(summary = "List the first customer accounts, in id order")
    List<AccountView> all(@Parameter(description = "how many accounts, 1..10000") @RequestParam(defaultValue = "100")
            @Min(1) @Max(MAX_LIST) int limit) {
        return accounts.first(limit);
    }

    @GetMapping("/accounts/totals")
    @Operation(summary = "Sum every account: how many, and money free, held, charged and deposited")
    AccountTotals totals() {
        return accounts.totals();
    }

    @GetMapping("/accounts/{id}")
    @Operation(summary = "Show one customer's account: balance, held, charged and deposited")
    @ApiResponse(responseCode = "200", description = "The account's balance, holds, charges and deposits")
    @ApiResponse(responseCode = "404", description = "No account for this customer")
    AccountView one(@PathVariable String id) {
        return accounts.view(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown customer '" + id + "'"));
    }
}
