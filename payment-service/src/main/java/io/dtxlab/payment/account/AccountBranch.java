package io.dtxlab.payment.account;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.InvariantTally;
import io.dtxlab.participant.resource.Verdict;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Payment's branch: prepare holds the amount (balance to held), commit charges it (held to charged), abort returns
 * it. Each is one conditional UPDATE, so concurrent charges can never overdraw an account.
 */
@Component
class AccountBranch implements BranchResource<AccountBranch.Charge> {

    /**
     * @param customerId whose account pays
     * @param amount quantity times unit price
     * @param orderId the order paid for
     */
    record Charge(String customerId, BigDecimal amount, String orderId) {
    }

    private final AccountRepository accounts;
    private final AccountMoves moves;
    private final AccountLedger ledger;

    AccountBranch(AccountRepository accounts, AccountMoves moves, AccountLedger ledger) {
        this.accounts = accounts;
        this.moves = moves;
        this.ledger = ledger;
    }

    @Override
    public Class<Charge> payloadType() {
        return Charge.class;
    }

    /**
     * One conditional UPDATE when the balance covers the charge (the common case: no read first); only a refusal
     * reads the account, to say why. Short only of what unfinished transactions hold (they may give it back) is
     * {@link Verdict#busy busy}: a saga's locking step waits for it; every other message takes it as a NO.
     */
    @Override
    public Verdict reserve(String xid, Charge charge) {
        requireValid(charge);
        if (moves.hold(charge.customerId(), charge.amount()) == 1) {
            return Verdict.yes();
        }
        Account account = accounts.findById(charge.customerId()).orElse(null);
        if (account == null) {
            return check(charge); // an unknown customer
        }
        if (account.balance().add(account.held()).compareTo(charge.amount()) >= 0) {
            // held by unfinished transactions, which may give it back: a saga's locking step waits for them
            return Verdict.busy("insufficient funds of " + charge.customerId() + " for now: balance "
                    + account.balance() + ", " + account.held()
                    + " held by transactions that have not finished, charge "
                    + charge.amount());
        }
        return insufficient(charge, account.balance());
    }

    @Override
    public Verdict check(Charge charge) {
        requireValid(charge);
        Account account = accounts.findById(charge.customerId()).orElse(null);
        if (account == null) {
            return Verdict.no("unknown customer '" + charge.customerId() + "'");
        }
        return account.balance().compareTo(charge.amount()) >= 0 ? Verdict.yes() : insufficient(charge, account.balance());
    }

    @Override
    public void apply(String xid, Charge charge) {
        require(moves.charge(charge.customerId(), charge.amount()), "charge", charge);
    }

    @Override
    public void release(String xid, Charge charge, String reason) {
        require(moves.release(charge.customerId(), charge.amount()), "release", charge);
    }

    /** A saga's compensation: the step's charge is refunded. */
    @Override
    public void compensate(String xid, Charge charge, String reason) {
        require(moves.refund(charge.customerId(), charge.amount()), "refund", charge);
    }

    /**
     * Per account: held equals the amounts of the branches holding a reservation, charged equals the amounts of the
     * committed branches, and balance + held + charged equals what the ledger says was ever deposited. One invariant
     * per rule over every account ({@link InvariantTally}: the first few that break it are named), so the audit
     * stays small and quick with thousands of accounts: the accounts and the ledger's sums are read in one aggregate
     * query.
     */
    @Override
    public List<Invariant> invariants(Stream<BranchRecord<Charge>> branches) {
        Map<String, BigDecimal[]> expected = new HashMap<>();
        branches.forEach(b -> {
            if (b.payload() == null || b.payload().customerId() == null || b.payload().amount() == null) {
                return;
            }
            BigDecimal[] e = expected.computeIfAbsent(b.payload().customerId(),
                    k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            if (b.state().holdsReservation()) {
                e[0] = e[0].add(b.payload().amount());
            } else if (b.state() == BranchState.COMMITTED) {
                e[1] = e[1].add(b.payload().amount());
            }
        });
        BigDecimal[] none = {BigDecimal.ZERO, BigDecimal.ZERO};
        InvariantTally held = new InvariantTally("every account: held = amounts of in-doubt branches");
        InvariantTally charged = new InvariantTally("every account: charged = amounts of committed branches");
        InvariantTally conserved = new InvariantTally("every account: balance + held + charged = deposited (ledger)");
        InvariantTally nonNegative = new InvariantTally("every account: nothing negative");
        List<AccountLedger.Balance> balances = ledger.balances();
        for (AccountLedger.Balance a : balances) {
            BigDecimal[] e = expected.getOrDefault(a.id(), none);
            held.check(a.held().compareTo(e[0]) == 0, () -> a.id() + ": held " + a.held() + ", branches hold " + e[0]);
            charged.check(a.charged().compareTo(e[1]) == 0,
                    () -> a.id() + ": charged " + a.charged() + ", committed branches took " + e[1]);
            BigDecimal total = a.balance().add(a.held()).add(a.charged());
            conserved.check(total.compareTo(a.deposited()) == 0, () -> a.id() + ": balance + held + charged " + total
                    + ", deposited " + a.deposited());
            nonNegative.check(a.balance().signum() >= 0 && a.held().signum() >= 0 && a.charged().signum() >= 0,
                    () -> a.id() + ": " + a.balance() + " balance, " + a.held() + " held, " + a.charged() + " charged");
        }
        Set<String> known = new HashSet<>();
        balances.forEach(a -> known.add(a.id()));
        expected.forEach((id, e) -> {
            if (!known.contains(id)) {
                held.check(e[0].signum() == 0, () -> id + ": no such account, branches hold " + e[0]);
                charged.check(e[1].signum() == 0, () -> id + ": no such account, committed branches took " + e[1]);
            }
        });
        String checked = balances.size() + " accounts checked";
        return List.of(held.result(checked), charged.result(checked), conserved.result(checked),
                nonNegative.result(checked));
    }

    private static void requireValid(Charge charge) {
        if (charge.customerId() == null || charge.amount() == null || charge.amount().signum() < 0) {
            throw new IllegalArgumentException("customerId and a non-negative amount are required");
        }
    }

    private static Verdict insufficient(Charge charge, BigDecimal balance) {
        return Verdict.no("insufficient funds of " + charge.customerId() + ": balance " + balance + ", charge "
                + charge.amount());
    }

    private static void require(int updated, String what, Charge charge) {
        if (updated != 1) {
            throw new IllegalStateException("cannot " + what + " " + charge.amount() + " for " + charge.customerId()
                    + ": less is held (the conservation invariant would break)");
        }
    }
}
