package io.dtxlab.inventory.stock;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The branch's conditional UPDATEs of the stock table, each one statement through JDBC in the caller's local
 * transaction (the participant kit's, which also holds the branch record). Not JPA: a repository's modifying query
 * flushed the whole persistence context before each update (a batch's every branch record, once per message) and
 * built an error message on every call; and nothing in a branch's transaction reads a stock row after changing it,
 * so there is nothing for JPA to keep in step. Each returns the rows changed: 1, or 0 when the condition failed.
 */
@Component
class StockMoves {

    private final JdbcTemplate jdbc;

    StockMoves(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Prepare: move {@code quantity} from available to reserved, if that many are available. */
    int reserve(String sku, int quantity) {
        return jdbc.update("update stock set available = available - ?, reserved = reserved + ?, version = version + 1 "
                + "where sku = ? and available >= ?", quantity, quantity, sku, quantity);
    }

    /** Prepare at a known price: as {@link #reserve}, and only if the SKU's price is {@code unitPrice}. */
    int reserveAtPrice(String sku, int quantity, BigDecimal unitPrice) {
        return jdbc.update("update stock set available = available - ?, reserved = reserved + ?, version = version + 1 "
                + "where sku = ? and available >= ? and unit_price = ?", quantity, quantity, sku, quantity, unitPrice);
    }

    /** Commit: the reserved units are sold. */
    int sell(String sku, int quantity) {
        return jdbc.update("update stock set reserved = reserved - ?, sold = sold + ?, version = version + 1 "
                + "where sku = ? and reserved >= ?", quantity, quantity, sku, quantity);
    }

    /** A saga's compensation: the sold units are available again. */
    int unsell(String sku, int quantity) {
        return jdbc.update("update stock set sold = sold - ?, available = available + ?, version = version + 1 "
                + "where sku = ? and sold >= ?", quantity, quantity, sku, quantity);
    }

    /** Abort: the reserved units are available again. */
    int release(String sku, int quantity) {
        return jdbc.update("update stock set reserved = reserved - ?, available = available + ?, version = version + 1 "
                + "where sku = ? and reserved >= ?", quantity, quantity, sku, quantity);
    }
}
