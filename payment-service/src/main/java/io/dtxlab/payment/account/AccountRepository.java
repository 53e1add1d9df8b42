package io.dtxlab.payment.account;

import java.util.Optional;
import java.math.BigDecimal;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * The account table. The branch's conditional UPDATEs are native SQL: Hibernate translates a JPQL update anew on every
 * execution (about a tenth of a participant's CPU under load), while a native one goes to the driver as it is. They
 * leave the persistence context as it is (no clear): the branch record the participant kit loaded in the same local
 * transaction stays managed, so saving it costs no second read. Nothing in a branch's transaction reads
 * an account after changing it.
 */
interface AccountRepository extends Repository<Account, String> {

    Optional<Account> findById(String id);

    /** Prepare: move {@code amount} from balance to held, if the balance covers it. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update account set balance = balance - :amount, held = held + :amount, "
            + "version = version + 1 where id = :id and balance >= :amount")
    int hold(String id, BigDecimal amount);

    /** Commit: the held money is charged. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update account set held = held - :amount, charged = charged + :amount, "
            + "version = version + 1 where id = :id and held >= :amount")
    int charge(String id, BigDecimal amount);

    /** Abort: the held money returns to the balance. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update account set held = held - :amount, balance = balance + :amount, "
            + "version = version + 1 where id = :id and held >= :amount")
    int release(String id, BigDecimal amount);
}
