package io.dtxlab.inventory.stock;

import java.util.Optional;
import org.springframework.data.repository.Repository;

/** The stock table, read (the branch's updates are {@link StockMoves}). */
interface StockRepository extends Repository<StockItem, String> {

    Optional<StockItem> findBySku(String sku);
}
