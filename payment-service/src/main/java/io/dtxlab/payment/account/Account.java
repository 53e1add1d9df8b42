package io.dtxlab.payment.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;

@Entity
@Table(name = "account")
class Account {

    @Id
    private String id;

    private BigDecimal balance;
    private BigDecimal held;
    private BigDecimal charged;

    @Version
    private long version;

    protected Account() {
    }

    BigDecimal balance() {
        return balance;
    }

    BigDecimal held() {
        return held;
    }
}
