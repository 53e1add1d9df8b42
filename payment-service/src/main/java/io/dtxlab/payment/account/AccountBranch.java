package io.dtxlab.payment.account;

import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Verdict;
import java.math.BigDecimal;
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

    AccountBranch(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @Override
    public Class<Charge> payloadType() {
        return Charge.class;
    }

    @Override
    public Verdict reserve(String xid, Charge charge) {
        Verdict possible = check(charge);
        if (!possible.ok()) {
            return possible;
        }
        if (accounts.hold(charge.customerId(), charge.amount()) == 1) {
            return Verdict.yes();
        }
        return insufficient(charge, accounts.findById(charge.customerId()).map(Account::balance).orElse(BigDecimal.ZERO));
    }

    @Override
    public Verdict check(Charge charge) {
        if (charge.customerId() == null || charge.amount() == null || charge.amount().signum() < 0) {
            throw new IllegalArgumentException("customerId and a non-negative amount are required");
        }
        Account account = accounts.findById(charge.customerId()).orElse(null);
        if (account == null) {
            return Verdict.no("unknown customer '" + charge.customerId() + "'");
        }
        return account.balance().compareTo(charge.amount()) >= 0 ? Verdict.yes() : insufficient(charge, account.balance());
    }

    @Override
    public void apply(String xid, Charge charge) {
        require(accounts.charge(charge.customerId(), charge.amount()), "charge", charge);
    }

    @Override
    public void release(String xid, Charge charge, String reason) {
        require(accounts.release(charge.customerId(), charge.amount()), "release", charge);
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
