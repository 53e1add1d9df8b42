package io.dtxlab.payment.account;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The branch's conditional UPDATEs of the account table, each one statement through JDBC in the caller's local
 * transaction (the participant kit's, which also holds the branch record). Not JPA: a repository's modifying query
 * flushed the whole persistence context before each update (a batch's every branch record, once per message) and
 * built an error message on every call; and nothing in a branch's transaction reads an account after changing it,
 * so there is nothing for JPA to keep in step. Each returns the rows changed: 1, or 0 when the condition failed.
 */
@Component
class AccountMoves {

    private final JdbcTemplate jdbc;

    AccountMoves(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Prepare: move {@code amount} from balance to held, if the balance covers it. */
    int hold(String id, BigDecimal amount) {
        return jdbc.update("update account set balance = balance - ?, held = held + ?, version = version + 1 "
                + "where id = ? and balance >= ?", amount, amount, id, amount);
    }

    /** Commit: the held amount is charged. */
    int charge(String id, BigDecimal amount) {
        return jdbc.update("update account set held = held - ?, charged = charged + ?, version = version + 1 "
                + "where id = ? and held >= ?", amount, amount, id, amount);
    }

    /** Abort: the held amount is balance again. */
    int release(String id, BigDecimal amount) {
        return jdbc.update("update account set held = held - ?, balance = balance + ?, version = version + 1 "
                + "where id = ? and held >= ?", amount, amount, id, amount);
    }
}
