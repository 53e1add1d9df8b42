package io.dtxlab.order.order;

import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Unit prices, read from inventory once and again whenever an unknown SKU is asked for. Inventory checks the price
 * again when it prepares, so a stale price here is refused, never charged.
 */
@Component
class PriceList {

    private static final Logger log = LoggerFactory.getLogger(PriceList.class);

    record StockPrice(String sku, BigDecimal unitPrice) {
    }

    private final ClusterClient client;
    private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>();

    PriceList(ClusterClient client) {
        this.client = client;
    }

    /** The unit price of {@code sku}, or null if inventory does not know it (or cannot be asked now). */
    BigDecimal unitPrice(String sku) {
        BigDecimal price = prices.get(sku);
        if (price == null) {
            refresh();
            price = prices.get(sku);
        }
        return price;
    }

    private void refresh() {
        try {
            for (StockPrice p : client.get(OrderPlacement.INVENTORY, "price-list", null, "/stock", StockPrice[].class)) {
                prices.put(p.sku(), p.unitPrice());
            }
        } catch (ClusterCallException e) {
            log.warn("cannot read the price list from inventory: {}", e.getMessage());
        }
    }
}
