package io.dtxlab.order.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An order as {@code GET /orders} and the audit read it; its branch writes it through {@link OrderRows}. */
@Entity
@Table(name = "orders")
class CustomerOrder {

    @Id
    private String id;

    @Column(name = "tx_id")
    private String txId;

    @Column(name = "customer_id")
    private String customerId;

    private String sku;
    private int quantity;
    private String protocol;
    private String status;
    private String reason;

    @Column(name = "created_at")
    private Instant createdAt;

    @Version
    private Long version;

    protected CustomerOrder() {
    }

    String id() {
        return id;
    }

    String status() {
        return status;
    }

    String txId() {
        return txId;
    }

    /** What its branch carries: the payload the order service hands the coordinator. */
    OrderBranch.NewOrder asNewOrder() {
        return new OrderBranch.NewOrder(id, customerId, sku, quantity, protocol);
    }

    Instant createdAt() {
        return createdAt;
    }

    String reason() {
        return reason;
    }

    OrderView view() {
        return new OrderView(id, txId, customerId, sku, quantity, protocol, status, reason, createdAt);
    }
}
