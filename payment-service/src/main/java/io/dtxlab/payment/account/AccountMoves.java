package io.dtxlab.payment.account;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The branch's conditional UPDATEs of the account table: plain JDBC in the participant kit's local transaction, for
 * the reasons inventory's stock moves give (no flush of the batch's branch records per update). Nothing in a
 * branch's transaction reads an account after changing it. Each returns the rows changed: 1, or 0 when the
 * condition failed.
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

    /** A saga's compensation: the charged amount is refunded to the balance. */
    int refund(String id, BigDecimal amount) {
        return jdbc.update("update account set charged = charged - ?, balance = balance + ?, version = version + 1 "
                + "where id = ? and charged >= ?", amount, amount, id, amount);
    }

    /** Abort: the held amount is balance again. */
    int release(String id, BigDecimal amount) {
        return jdbc.update("update account set held = held - ?, balance = balance + ?, version = version + 1 "
                + "where id = ? and held >= ?", amount, amount, id, amount);
    }
}
