package io.dtxlab.payment.account;

import java.util.Optional;
import java.math.BigDecimal;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * The account table. The branch's conditional UPDATEs leave the persistence context as it is (no clear): the branch
 * record the participant kit loaded in the same local transaction stays managed, so saving it costs no second read.
 * Nothing in a branch's transaction reads an account after changing it.
 */
interface AccountRepository extends Repository<Account, String> {

    Optional<Account> findById(String id);

    /** Prepare: move {@code amount} from balance to held, if the balance covers it. */
    @Modifying(flushAutomatically = true)
    @Query("update Account a set a.balance = a.balance - :amount, a.held = a.held + :amount, "
            + "a.version = a.version + 1 where a.id = :id and a.balance >= :amount")
    int hold(String id, BigDecimal amount);

    /** Commit: the held money is charged. */
    @Modifying(flushAutomatically = true)
    @Query("update Account a set a.held = a.held - :amount, a.charged = a.charged + :amount, "
            + "a.version = a.version + 1 where a.id = :id and a.held >= :amount")
    int charge(String id, BigDecimal amount);

    /** Abort: the held money returns to the balance. */
    @Modifying(flushAutomatically = true)
    @Query("update Account a set a.held = a.held - :amount, a.balance = a.balance + :amount, "
            + "a.version = a.version + 1 where a.id = :id and a.held >= :amount")
    int release(String id, BigDecimal amount);
}
