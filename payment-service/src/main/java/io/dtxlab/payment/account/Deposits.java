package io.dtxlab.payment.account;

import io.dtxlab.payment.account.AccountLedger.Entry;
import io.dtxlab.payment.account.AccountLedger.Row;
import io.dtxlab.payment.account.AccountLedger.Reason;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import io.dtxlab.platform.problem.ValidationProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Pays money into accounts: opens an account with a deposit, tops one up, or seeds thousands at once. Each call is
 * one local transaction that changes {@code balance} and writes the matching ledger entries, so balance + held +
 * charged = deposited holds after every commit.
 */
@Service
class Deposits {

    /** What an account id may be (also the path segment of {@code /accounts/{id}}). */
    static final String ID = "[A-Za-z0-9_.-]{1,64}";
    /** Largest single deposit, and largest balance a seed may ask for. */
    static final String MAX_AMOUNT = "1000000000";
    /** Most accounts one seed may name. */
    static final int MAX_SEED = 10_000;
    /** {@code GET /accounts/totals} owns this name. */
    private static final String RESERVED_NAME = "totals";

    /**
     * @param created whether the account was new
     * @param view the account after the deposit
     */
    record Deposited(boolean created, AccountView view) {
    }

    /** One account of a seed: it should have a balance of at least {@code balance}. */
    record Want(String id, BigDecimal balance) {
    }

    /**
     * What a seed did.
     *
     * @param created accounts that did not exist (opened with the balance asked for)
     * @param toppedUp accounts whose balance was lower and got the difference
     * @param unchanged accounts whose balance was already high enough
     * @param amountAdded money paid in over all accounts (the sum of the new ledger entries)
     */
    record SeedResult(int created, int toppedUp, int unchanged, BigDecimal amountAdded) {
    }

    private final AccountLedger ledger;

    Deposits(AccountLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Opens account {@code id} with {@code amount} as its balance, or adds {@code amount} to its balance. Errors: 409
     * if a concurrent request opened the same account first.
     *
     * @param key the request's Idempotency-Key, or null: its answer (201 or 200 and the account) is stored in this
     *        same local transaction, so the deposit and the key are committed together or not at all
     */
    @Transactional
    Deposited deposit(String id, BigDecimal amount, IdempotencyKeys.Claim key) {
        Deposited deposited = deposit(id, amount);
        if (key != null) {
            key.answered(deposited.created() ? 201 : 200, deposited.view());
        }
        return deposited;
    }

    private Deposited deposit(String id, BigDecimal amount) {
        refuseReservedName("id", id);
        List<Entry> entry = List.of(new Entry(id, amount));
        if (ledger.lock(id).isEmpty()) {
            try {
                ledger.create(entry);
            } catch (DuplicateKeyException e) {
                throw new ResponseStatusException(HttpStatus.CONFLICT,
                        "account '" + id + "' was opened by a concurrent request; send again to deposit");
            }
            ledger.record(entry, Reason.CREATE);
            return new Deposited(true, ledger.view(id).orElseThrow());
        }
        ledger.deposit(entry);
        ledger.record(entry, Reason.DEPOSIT);
        return new Deposited(false, ledger.view(id).orElseThrow());
    }

    /**
     * Makes every account of {@code wants} have a balance of at least its {@code balance}: a missing account is
     * opened with it, one with less gets the difference, any other is left alone. Idempotent: the same seed again
     * changes nothing. All or nothing, in one transaction and a few statements. The rows are read without locks, so
     * orders go on meanwhile: a top-up adds the difference seen when reading (an order in between may leave an
     * account a little short of the target), and the ledger records exactly the money added, so conservation holds
     * regardless. Errors: 400 if an id appears twice, 409 if an account was opened by a concurrent request (send
     * the seed again).
     */
    @Transactional
    SeedResult seed(List<Want> wants) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < wants.size(); i++) {
            String id = wants.get(i).id();
            refuseReservedName("accounts[" + i + "].id", id);
            Integer earlier = firstIndex.putIfAbsent(id, i);
            if (earlier != null) {
                throw ValidationProblem.invalid("accounts[" + i + "].id", "Unique",
                        "repeats account '" + id + "' of accounts[" + earlier + "]", id);
            }
        }
        Map<String, Row> existing = ledger.findAll(firstIndex.keySet());
        List<Entry> creates = new ArrayList<>();
        List<Entry> topUps = new ArrayList<>();
        int unchanged = 0;
        BigDecimal added = BigDecimal.ZERO;
        for (Want want : wants) {
            Row row = existing.get(want.id());
            if (row == null) {
                creates.add(new Entry(want.id(), want.balance()));
                added = added.add(want.balance());
            } else if (row.balance().compareTo(want.balance()) < 0) {
                BigDecimal missing = want.balance().subtract(row.balance());
                topUps.add(new Entry(want.id(), missing));
                added = added.add(missing);
            } else {
                unchanged++;
            }
        }
        try {
            ledger.create(creates);
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "an account of the seed was opened by a concurrent request; send the seed again");
        }
        ledger.deposit(topUps);
        List<Entry> entries = new ArrayList<>(creates);
        entries.addAll(topUps);
        ledger.record(entries, Reason.SEED);
        return new SeedResult(creates.size(), topUps.size(), unchanged, added.setScale(2));
    }

    private static void refuseReservedName(String field, String id) {
        if (RESERVED_NAME.equals(id)) {
            throw ValidationProblem.invalid(field, "Reserved",
                    "'" + RESERVED_NAME + "' is reserved for GET /accounts/totals", id);
        }
    }
}
