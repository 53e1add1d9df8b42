package io.dtxlab.order.order;

import java.math.BigDecimal;

/**
 * The answer to placing an order.
 *
 * @param outcome CONFIRMED (every branch commits), REJECTED (every branch aborts; {@code reason} says who voted no
 *        and why), or PENDING (not known yet: poll {@code GET /orders/{orderId}}). With {@code NONE}, REJECTED also
 *        when only some parts were refused: the others stay applied, and {@code reason} names which (e.g. {@code not
 *        atomic: order, inventory applied and kept; payment refused: …}); the order's own row then follows its own
 *        branch and may read CONFIRMED
 * @param coordinator the coordinator that ran the transaction; {@code GET /transactions/{xid}} on any coordinator
 *        shows its votes, acknowledgements and message timeline
 * @param messages participant messages the transaction cost so far (a failure-free 2PC costs 4n: 12 here; 3PC 6n;
 *        NONE 2n)
 */
record PlacedOrder(String orderId, String xid, String protocol, String outcome, String reason, String customerId,
        String sku, int quantity, BigDecimal unitPrice, BigDecimal amount, String coordinator, Integer messages) {
}
