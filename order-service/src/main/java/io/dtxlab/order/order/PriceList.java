package io.dtxlab.order.order;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Unit prices, read from inventory the first time each SKU is ordered ({@code GET /stock/{sku}}) and kept. A SKU's
 * price never changes once it exists (inventory refuses a restock at another price with 409), so a known price is
 * never stale and is kept without expiry; an unknown SKU, or a price inventory could not be asked for, is not kept
 * and is asked again next time. At most {@value #MAX_SKUS} prices are kept (a lab holds up to tens of thousands of
 * SKUs; beyond that the least used are dropped and asked again). Inventory checks the price again when it prepares,
 * so a wrong price here is refused, never charged.
 */
@Component
class PriceList {

    private static final Logger log = LoggerFactory.getLogger(PriceList.class);
    static final int MAX_SKUS = 50_000;

    record StockPrice(String sku, BigDecimal unitPrice) {
    }

    private final ClusterClient client;
    private final Cache<String, BigDecimal> prices = Caffeine.newBuilder().maximumSize(MAX_SKUS).build();

    PriceList(ClusterClient client) {
        this.client = client;
    }

    /** The unit price of {@code sku}, or null if inventory does not know it (or cannot be asked now). */
    BigDecimal unitPrice(String sku) {
        BigDecimal price = prices.getIfPresent(sku);
        if (price == null) {
            // asked outside the cache's lock: a slow inventory must not hold up other SKUs' lookups
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
            return p == null ? null : p.unitPrice();
        } catch (ClusterCallException e) {
            if (e.peerStatus() != 404) {
                log.warn("cannot read the price of {} from inventory: {}", sku, e.getMessage());
            }
            return null; // unknown SKU: inventory votes NO with the reason
        }
    }
}
