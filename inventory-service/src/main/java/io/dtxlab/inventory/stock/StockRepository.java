package io.dtxlab.inventory.stock;

import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * The stock table. The branch's conditional UPDATEs are native SQL: Hibernate translates a JPQL update anew on every
 * execution (about a tenth of a participant's CPU under load), while a native one goes to the driver as it is. They
 * leave the persistence context as it is (no clear): the branch record the participant kit loaded in the same local
 * transaction stays managed, so saving it costs no second read. Nothing in a branch's transaction reads
 * a stock row after changing it.
 */
interface StockRepository extends Repository<StockItem, String> {

    Optional<StockItem> findBySku(String sku);

    /** Prepare: move {@code quantity} from available to reserved, if that many are available. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update stock set available = available - :quantity, "
            + "reserved = reserved + :quantity, version = version + 1 where sku = :sku and available >= :quantity")
    int reserve(String sku, int quantity);

    /** Prepare at a known price: as {@link #reserve}, and only if the SKU's price is {@code unitPrice}. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update stock set available = available - :quantity, "
            + "reserved = reserved + :quantity, version = version + 1 "
            + "where sku = :sku and available >= :quantity and unit_price = :unitPrice")
    int reserveAtPrice(String sku, int quantity, BigDecimal unitPrice);

    /** Commit: the reserved units are sold. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update stock set reserved = reserved - :quantity, sold = sold + :quantity, "
            + "version = version + 1 where sku = :sku and reserved >= :quantity")
    int sell(String sku, int quantity);

    /** Abort: the reserved units are available again. */
    @Modifying(flushAutomatically = true)
    @Query(nativeQuery = true, value = "update stock set reserved = reserved - :quantity, "
            + "available = available + :quantity, version = version + 1 where sku = :sku and reserved >= :quantity")
    int release(String sku, int quantity);
}
