package io.dtxlab.order.order;

import java.math.BigDecimal;

/**
 * The answer to placing an order.
 *
 * @param outcome CONFIRMED (every branch commits), REJECTED (every branch aborts; {@code reason} says who voted no
 *        and why), or PENDING (not known yet: poll {@code GET /orders/{orderId}})
 * @param coordinator the coordinator that ran the transaction; {@code GET /transactions/{xid}} there shows its votes,
 *        acknowledgements and message timeline
 * @param messages participant messages the transaction cost so far (a failure-free 2PC costs 4n: 12 here)
 */
record PlacedOrder(String orderId, String xid, String protocol, String outcome, String reason, String customerId,
        String sku, int quantity, BigDecimal unitPrice, BigDecimal amount, String coordinator, Integer messages) {
}
