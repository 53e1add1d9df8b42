package io.dtxlab.payment.account;

import io.dtxlab.platform.idempotency.IdempotencyKey;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Deposits (admin token): open or top up one account, or seed thousands for a load test. */
@RestController
@RequestMapping("/admin/accounts")
@Tag(name = "Deposits", description = "Open, top up and seed accounts; every deposit is written to the account ledger (admin token)")
class AccountAdminController {

    private static final String PROBLEM = "application/problem+json";

    /** @param deposit money to pay in */
    record DepositRequest(
            @Schema(description = "Money to pay in: > 0, at most 1000000000, at most 2 decimals; a JSON number",
                    example = "100.00")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Deposits.MAX_AMOUNT)
            @Digits(integer = 10, fraction = 2)
            BigDecimal deposit) {
    }

    /** A seed: every account named should have at least its balance afterwards. */
    record SeedRequest(
            @Schema(description = "1..10000 accounts, each named once")
            @NotNull @Size(min = 1, max = Deposits.MAX_SEED) List<@NotNull @Valid SeedAccount> accounts) {
    }

    /**
     * One account of a seed.
     *
     * @param id the customer id
     * @param balance the lowest balance it should have
     */
    record SeedAccount(
            @Schema(example = "cust-00001") @NotNull @Pattern(regexp = Deposits.ID) String id,
            @Schema(description = "> 0, at most 1000000000, at most 2 decimals; a JSON number", example = "1000.00")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Deposits.MAX_AMOUNT)
            @Digits(integer = 10, fraction = 2)
            BigDecimal balance) {
    }

    /** What an Idempotency-Key's request is: the account and the deposit as parsed (5 and 5.00 are one amount). */
    private record Keyed(String id, BigDecimal deposit) {
    }

    private final Deposits deposits;
    private final IdempotencyKeys keys;

    AccountAdminController(Deposits deposits, IdempotencyKeys keys) {
        this.deposits = deposits;
        this.keys = keys;
    }

    @PutMapping("/{id}")
    @Operation(summary = "Open an account with a deposit, or add the deposit to its balance",
            description = "Writes a ledger entry in the same local transaction, so `deposited` grows by the deposit. "
                    + "Not idempotent by nature: every request pays its deposit in, so a retry after a timeout pays "
                    + "it twice, unless it carries the Idempotency-Key of the first: then the first answer is given "
                    + "again (header Idempotent-Replayed: true) and nothing is paid in. The key is stored in the "
                    + "local transaction that pays the deposit in. For bulk loads use the seed, which is idempotent "
                    + "by design.")
    @ApiResponse(responseCode = "201", description = "The account was opened; the account")
    @ApiResponse(responseCode = "200", description = "The deposit was added to the balance; the account")
    @ApiResponse(responseCode = "400", description = "Invalid deposit or account id (each field and rule named), or a "
            + "malformed Idempotency-Key")
    @ApiResponse(responseCode = "409", description = "A concurrent request opened the same account first, or a "
            + "request with the same Idempotency-Key is in flight",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with another request",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<AccountView> deposit(@PathVariable @Pattern(regexp = Deposits.ID) String id,
            @Parameter(description = "optional; names this deposit, so that a retry with the same key pays nothing "
                    + "in (without it, a retry pays the deposit again). 1 to 255 visible ASCII characters, "
                    + "optionally quoted", example = IdempotencyKey.EXAMPLE)
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody DepositRequest request) {
        BigDecimal amount = cents(request.deposit());
        return keys.once(idempotencyKey, new Keyed(id, amount), AccountView.class, location(id),
                claim -> answer(id, deposits.deposit(id, amount, claim)));
    }

    private static ResponseEntity<AccountView> answer(String id, Deposits.Deposited deposited) {
        if (deposited.created()) {
            return ResponseEntity.created(location(id)).body(deposited.view());
        }
        return ResponseEntity.ok(deposited.view());
    }

    private static URI location(String id) {
        return URI.create("/accounts/" + id);
    }

    @PostMapping("/seed")
    @Operation(summary = "Seed many accounts at once, idempotently: each should have at least the balance named",
            description = "A missing account is opened with `balance`; one with a lower balance gets the difference; "
                    + "any other is left alone. One local transaction, all or nothing; sending the same seed again "
                    + "changes nothing.")
    @ApiResponse(responseCode = "200", description = "What the seed opened, topped up and left alone")
    @ApiResponse(responseCode = "409", description = "A concurrent request opened one of the accounts (nothing was "
            + "changed; send the seed again)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    Deposits.SeedResult seed(@Valid @RequestBody SeedRequest request) {
        return deposits.seed(request.accounts().stream()
                .map(a -> new Deposits.Want(a.id(), cents(a.balance()))).toList());
    }


    /** Validated to at most two decimals, so this only fixes the scale: 2.5 becomes 2.50. */
    private static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
