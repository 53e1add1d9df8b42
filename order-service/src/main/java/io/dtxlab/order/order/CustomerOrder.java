package io.dtxlab.order.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

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

    CustomerOrder(String id, String txId, String customerId, String sku, int quantity, String protocol,
            OrderStatus status, String reason, Instant createdAt) {
        this.id = id;
        this.txId = txId;
        this.customerId = customerId;
        this.sku = sku;
        this.quantity = quantity;
        this.protocol = protocol;
        this.status = status.name();
        this.reason = reason;
        this.createdAt = createdAt;
    }

    /** Its branch is prepared: the note of an order recorded before its branch is dropped. */
    void prepared() {
        reason = null;
    }

    void confirm() {
        status = OrderStatus.CONFIRMED.name();
    }

    void reject(String why) {
        status = OrderStatus.REJECTED.name();
        reason = why;
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

    /** Recorded by the order service for {@code xid} and not yet decided: its branch may still arrive. */
    boolean awaitsBranchOf(String xid) {
        return xid.equals(txId) && OrderStatus.PENDING.name().equals(status);
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
