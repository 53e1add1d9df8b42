package io.dtxlab.inventory.stock;

import java.util.List;
import org.springframework.data.repository.Repository;

interface StockRepository extends Repository<StockItem, String> {

    List<StockItem> findAllByOrderBySkuAsc();

    java.util.Optional<StockItem> findBySku(String sku);
}
