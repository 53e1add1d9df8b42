package io.dtxlab.inventory.stock;

/**
 * The whole inventory in one line, in units.
 *
 * @param skus how many SKUs exist
 * @param available units free to order, over every SKU
 * @param reserved units held by prepared (in-doubt) branches
 * @param sold units of committed orders
 * @param stocked units ever stocked (the whole ledger): available + reserved + sold equals it
 */
record StockTotals(long skus, long available, long reserved, long sold, long stocked) {
}
