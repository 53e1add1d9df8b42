package io.dtxlab.inventory.stock;

import java.util.Optional;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface StockRepository extends Repository<StockItem, String> {

    Optional<StockItem> findBySku(String sku);

    /** Prepare: move {@code quantity} from available to reserved, if that many are available. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update StockItem s set s.available = s.available - :quantity, s.reserved = s.reserved + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.available >= :quantity")
    int reserve(String sku, int quantity);

    /** Commit: the reserved units are sold. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update StockItem s set s.reserved = s.reserved - :quantity, s.sold = s.sold + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.reserved >= :quantity")
    int sell(String sku, int quantity);

    /** Abort: the reserved units are available again. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update StockItem s set s.reserved = s.reserved - :quantity, s.available = s.available + :quantity, "
            + "s.version = s.version + 1 where s.sku = :sku and s.reserved >= :quantity")
    int release(String sku, int quantity);
}
