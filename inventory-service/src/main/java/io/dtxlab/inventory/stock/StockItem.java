package io.dtxlab.inventory.stock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;

@Entity
@Table(name = "stock")
class StockItem {

    @Id
    private String sku;

    @Column(name = "unit_price", nullable = false)
    private BigDecimal unitPrice;

    private int available;
    private int reserved;
    private int sold;

    @Version
    private long version;

    protected StockItem() {
    }

    BigDecimal unitPrice() {
        return unitPrice;
    }

    int available() {
        return available;
    }

    int reserved() {
        return reserved;
    }
}
