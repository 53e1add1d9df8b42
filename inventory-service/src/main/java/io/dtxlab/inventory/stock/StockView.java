package io.dtxlab.inventory.stock;

import java.math.BigDecimal;

/**
 * One SKU's stock.
 *
 * @param sku the stock-keeping unit
 * @param unitPrice what one unit costs
 * @param available units free to order
 * @param reserved units held by prepared (in-doubt) branches
 * @param sold units of committed orders
 * @param stocked units ever stocked (the sum of the SKU's ledger entries): available + reserved + sold equals it
 */
record StockView(String sku, BigDecimal unitPrice, int available, int reserved, int sold, long stocked) {
}
