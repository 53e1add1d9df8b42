package io.dtxlab.order;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the order service takes orders ({@code dtx.orders.*}).
 *
 * @param idempotencyKeysKeptFor how long an {@code Idempotency-Key} of {@code POST /orders} is remembered from its
 *        first use: within it, a retry with the key answers the first order's outcome; after it the key is
 *        forgotten (purged at most every minute, lazily when a new key is stored) and may place a new order
 */
@Validated
@ConfigurationProperties("dtx.orders")
public record OrderProperties(
        @NotNull @DurationMin(seconds = 1) @DefaultValue("24h") Duration idempotencyKeysKeptFor) {
}
