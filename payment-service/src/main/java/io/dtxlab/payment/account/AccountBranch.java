package io.dtxlab.payment.account;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.Verdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * Per customer: held equals the amounts of the branches holding a reservation, and charged equals the amounts
     * of the committed branches. With balance + held + charged moved only by those branches, money is conserved.
     */
    @Override
    public List<Invariant> invariants(List<BranchRecord<Charge>> branches) {
        Map<String, BigDecimal[]> expected = new TreeMap<>();
        for (BranchRecord<Charge> b : branches) {
            if (b.payload() == null || b.payload().customerId() == null || b.payload().amount() == null) {
                continue;
            }
            BigDecimal[] e = expected.computeIfAbsent(b.payload().customerId(),
                    k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            if (b.state().holdsReservation()) {
                e[0] = e[0].add(b.payload().amount());
            } else if (b.state() == BranchState.COMMITTED) {
                e[1] = e[1].add(b.payload().amount());
            }
        }
        List<Invariant> invariants = new ArrayList<>();
        for (Account account : accounts.findAllByOrderByIdAsc()) {
            AccountView v = account.view();
            BigDecimal[] e = expected.getOrDefault(v.id(), new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            invariants.add(Invariant.check(v.id() + ": held = amounts of in-doubt branches",
                    v.held().compareTo(e[0]) == 0, "held " + v.held() + ", branches hold " + e[0]));
            invariants.add(Invariant.check(v.id() + ": charged = amounts of committed branches",
                    v.charged().compareTo(e[1]) == 0, "charged " + v.charged() + ", committed branches took " + e[1]));
            invariants.add(Invariant.check(v.id() + ": nothing negative",
                    v.balance().signum() >= 0 && v.held().signum() >= 0 && v.charged().signum() >= 0,
                    v.balance() + " balance, " + v.held() + " held, " + v.charged() + " charged"));
        }
        return invariants;
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
