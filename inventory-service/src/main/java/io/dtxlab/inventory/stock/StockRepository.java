package io.dtxlab.inventory.stock;

import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * The stock table. The branch's conditional UPDATEs leave the persistence context as it is (no clear): the branch
 * record the participant kit loaded in the same local transaction stays managed, so saving it costs no second read.
 * Nothing in a branch's transaction reads a stock row after changing it.
 */
interface StockRepository extends Repository<StockItem, String> {

    Optional<StockItem> findBySku(String sku);

    /** Prepare: move {@code quantity} from available to reserved, if that many are available. */
    @Modifying(flushAutomatically = true)
    @Query("update StockItem s set s.available = s.available - :quantity, s.reserved = s.reserved + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.available >= :quantity")
    int reserve(String sku, int quantity);

    /** Prepare at a known price: as {@link #reserve}, and only if the SKU's price is {@code unitPrice}. */
    @Modifying(flushAutomatically = true)
    @Query("update StockItem s set s.available = s.available - :quantity, s.reserved = s.reserved + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.available >= :quantity and s.unitPrice = :unitPrice")
    int reserveAtPrice(String sku, int quantity, BigDecimal unitPrice);

    /** Commit: the reserved units are sold. */
    @Modifying(flushAutomatically = true)
    @Query("update StockItem s set s.reserved = s.reserved - :quantity, s.sold = s.sold + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.reserved >= :quantity")
    int sell(String sku, int quantity);

    /** Abort: the reserved units are available again. */
    @Modifying(flushAutomatically = true)
    @Query("update StockItem s set s.reserved = s.reserved - :quantity, s.available = s.available + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.reserved >= :quantity")
    int release(String sku, int quantity);
}
