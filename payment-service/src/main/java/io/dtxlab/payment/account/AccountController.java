package io.dtxlab.payment.account;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Accounts", description = "Balance, funds held by prepared branches, and money charged")
@Transactional(readOnly = true)
class AccountController {

    private final AccountRepository accounts;

    AccountController(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/accounts")
    @Operation(summary = "List every customer account")
    List<AccountView> all() {
        return accounts.findAllByOrderByIdAsc().stream().map(Account::view).toList();
    }

    @GetMapping("/accounts/{id}")
    @Operation(summary = "Show one customer's account: balance, held and charged")
    AccountView one(@PathVariable String id) {
        return accounts.findById(id).map(Account::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown customer '" + id + "'"));
    }
}
