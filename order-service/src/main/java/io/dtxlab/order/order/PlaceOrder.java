package io.dtxlab.order.order;

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
 */
record PlaceOrder(
        @Schema(example = "alice") @NotBlank @Size(max = 64) String customerId,
        @Schema(example = "WIDGET") @NotBlank @Size(max = 64) String sku,
        @Schema(example = "2") @Positive @Max(1000) int quantity,
        @Schema(example = "2PC", allowableValues = {"2PC", "3PC", "TCC", "SAGA", "NONE"})
        @Pattern(regexp = "2PC|3PC|TCC|SAGA|NONE", message = "must be 2PC, 3PC, TCC, SAGA or NONE") String protocol) {

    String protocolOrDefault() {
        return protocol == null ? "2PC" : protocol;
    }
}
