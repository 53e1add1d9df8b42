package io.dtxlab.order.order;

import java.time.Instant;

/**
 * An order and where its transaction stands.
 *
 * @param id the order id
 * @param txId the global transaction that placed it
 * @param customerId who ordered
 * @param sku what
 * @param quantity how many
 * @param protocol 2PC or 3PC
 * @param status PENDING, CONFIRMED or REJECTED
 * @param reason why it was rejected, if it was
 * @param createdAt when it was placed
 */
record OrderView(String id, String txId, String customerId, String sku, int quantity, String protocol, String status,
        String reason, Instant createdAt) {
}
