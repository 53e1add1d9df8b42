package io.dtxlab.platform.idempotency;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long {@code Idempotency-Key}s are remembered ({@code dtx.idempotency.*}), on every node that takes them.
 *
 * @param keysKeptFor how long a key is remembered from its first use: within it, a retry with the key answers the
 *        first request's answer (or resumes it); after it the key is forgotten (purged at most every minute, lazily
 *        when a new key is stored) and a request with it counts as new. Default 24h. The order service's former
 *        {@code dtx.orders.idempotency-keys-kept-for} still sets it when this is not set
 */
@Validated
@ConfigurationProperties("dtx.idempotency")
public record IdempotencyProperties(@NotNull @DurationMin(seconds = 1) @DefaultValue("24h") Duration keysKeptFor) {
}
