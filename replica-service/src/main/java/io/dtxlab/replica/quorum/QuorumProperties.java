package io.dtxlab.replica.quorum;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The knobs of Dynamo-style quorum replication ({@code dtx.quorum.*}).
 *
 * @param n replicas that hold each key: the length of its preference list
 * @param r replicas a read waits for when the request names no R
 * @param w replicas a write waits for when the request names no W
 * @param virtualNodes tokens each replica owns on the consistent-hashing ring
 * @param requestTimeout how long a coordinator waits for one replica's answer before it counts as down
 * @param hintDeliveryInterval how often a stand-in tries to hand its hints back to their owners
 */
@Validated
@ConfigurationProperties("dtx.quorum")
public record QuorumProperties(
        @DefaultValue("3") @Min(1) @Max(9) int n,
        @DefaultValue("2") @Min(1) @Max(9) int r,
        @DefaultValue("2") @Min(1) @Max(9) int w,
        @DefaultValue("64") @Min(1) @Max(1024) int virtualNodes,
        @DefaultValue("2s") @NotNull Duration requestTimeout,
        @DefaultValue("1s") @NotNull Duration hintDeliveryInterval) {

    public QuorumProperties {
        if (r > n || w > n) {
            throw new IllegalArgumentException("dtx.quorum: the default R=" + r + " and W=" + w
                    + " must not be more than N=" + n);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || hintDeliveryInterval.isNegative()
                || hintDeliveryInterval.isZero()) {
            throw new IllegalArgumentException("dtx.quorum: request-timeout and hint-delivery-interval must be positive");
        }
    }
}
