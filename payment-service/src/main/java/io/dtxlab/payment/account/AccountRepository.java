package io.dtxlab.payment.account;

import java.util.Optional;
import org.springframework.data.repository.Repository;

/** The account table, read (the branch's updates are {@link AccountMoves}). */
interface AccountRepository extends Repository<Account, String> {

    Optional<Account> findById(String id);
}
