package io.dtxlab.order.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A customer's order.
 *
 * @param protocol {@code 2PC} (the default), {@code 3PC}, {@code TCC} (try, confirm, cancel), {@code SAGA} (the
 *        steps order, inventory, payment, each applied at once; when one fails, the ones before it are compensated in
 *        reverse), or {@code NONE}: the baseline without atomic commitment (each service applies its part at once; a
 *        refused part leaves the others applied)
 * @param semanticLock SAGA only: the inventory and payment steps take a semantic lock (a 400 with any other protocol)
 */
record PlaceOrder(
        @Schema(example = "alice") @NotBlank @Size(max = 64) String customerId,
        @Schema(example = "WIDGET") @NotBlank @Size(max = 64) String sku,
        @Schema(example = "2") @Positive @Max(1000) int quantity,
        @Schema(example = "2PC", allowableValues = {"2PC", "3PC", "TCC", "SAGA", "NONE"})
        @Pattern(regexp = "2PC|3PC|TCC|SAGA|NONE", message = "must be 2PC, 3PC, TCC, SAGA or NONE") String protocol,
        @Schema(description = "SAGA only: the inventory and payment steps take a semantic lock. Each holds the units "
                + "or the money as pending (try) until the saga completes (confirm) or goes back (cancel), and a "
                + "locking step of another saga that finds what it needs held only by such pending holds waits and "
                + "tries again instead of being refused. Costs 2 more messages per locked step",
                example = "false") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean semanticLock) {

    PlaceOrder(String customerId, String sku, int quantity, String protocol) {
        this(customerId, sku, quantity, protocol, null);
    }

    String protocolOrDefault() {
        return protocol == null ? "2PC" : protocol;
    }

    /** Whether the saga's inventory and payment steps take a semantic lock. */
    boolean locksSemantically() {
        return Boolean.TRUE.equals(semanticLock);
    }

    /** The request as it counts for an Idempotency-Key: defaults filled in, so omitting one changes nothing. */
    PlaceOrder normal() {
        Boolean lock = locksSemantically() ? Boolean.TRUE : null;
        return new PlaceOrder(customerId, sku, quantity, protocolOrDefault(), lock);
    }
}
