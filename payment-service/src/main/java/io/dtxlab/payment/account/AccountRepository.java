package io.dtxlab.payment.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.Repository;

interface AccountRepository extends Repository<Account, String> {

    List<Account> findAllByOrderByIdAsc();

    Optional<Account> findById(String id);
}
