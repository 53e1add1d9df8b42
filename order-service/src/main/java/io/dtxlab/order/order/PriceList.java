package io.dtxlab.order.order;

import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Unit prices, read from inventory the first time each SKU is ordered ({@code GET /stock/{sku}}) and cached. A
 * lab holds up to tens of thousands of SKUs, so it asks for one, never for the whole list. Inventory checks the
 * price again when it prepares, so a stale price here is refused, never charged.
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
            price = ask(sku);
            if (price != null) {
                prices.put(sku, price);
            }
        }
        return price;
    }

    private BigDecimal ask(String sku) {
        try {
            StockPrice p = client.get(OrderPlacement.INVENTORY, "price", sku,
                    "/stock/" + UriUtils.encodePathSegment(sku, StandardCharsets.UTF_8), StockPrice.class);
            return p.unitPrice();
        } catch (ClusterCallException e) {
            if (e.peerStatus() != 404) {
                log.warn("cannot read the price of {} from inventory: {}", sku, e.getMessage());
            }
            return null; // unknown SKU: inventory votes NO with the reason
        }
    }
}
