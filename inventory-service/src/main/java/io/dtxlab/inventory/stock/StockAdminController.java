package io.dtxlab.inventory.stock;

import io.dtxlab.platform.idempotency.IdempotencyKey;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stocking (admin token): create or restock one SKU, or seed thousands for a load test. */
@RestController
@RequestMapping("/admin/stock")
@Tag(name = "Stocking", description = "Create, restock and seed SKUs; every unit is written to the stock ledger (admin token)")
class StockAdminController {

    private static final String PROBLEM = "application/problem+json";

    /**
     * A stocking of one SKU.
     *
     * @param unitPrice the price of a new SKU (required then); on a restock, omit it or send the current price
     * @param available units to add to the available units
     */
    record StockRequest(
            @Schema(description = "Price of one unit; > 0, at most 1000000, at most 2 decimals. Required to create; "
                    + "on a restock it must equal the current price, or be omitted", example = "2.50")
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") @Digits(integer = 7, fraction = 2)
            BigDecimal unitPrice,
            @Schema(description = "Units to add; a JSON integer, 1..1000000000", example = "100")
            @NotNull @Positive @Max(Stocking.MAX_UNITS)
            Integer available) {
    }

    /** A seed: every SKU named should hold at least its {@code available} units afterwards. */
    record SeedRequest(
            @Schema(description = "1..10000 SKUs, each named once")
            @NotNull @Size(min = 1, max = Stocking.MAX_SEED) List<@NotNull @Valid SeedItem> items) {
    }

    /**
     * One SKU of a seed.
     *
     * @param sku the SKU
     * @param unitPrice its price if it is created (an existing SKU keeps its price)
     * @param available the fewest available units it should have
     */
    record SeedItem(
            @Schema(example = "SKU-00001") @NotNull @Pattern(regexp = Stocking.SKU) String sku,
            @Schema(description = "> 0, at most 1000000, at most 2 decimals", example = "1.00")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") @Digits(integer = 7, fraction = 2)
            BigDecimal unitPrice,
            @Schema(description = "A JSON integer, 1..1000000000", example = "1000")
            @NotNull @Positive @Max(Stocking.MAX_UNITS)
            Integer available) {
    }

    /** What an Idempotency-Key's request is: the SKU and the stocking as parsed (2.5 and 2.50 are one price). */
    private record Keyed(String sku, BigDecimal unitPrice, int available) {
    }

    private final Stocking stocking;
    private final IdempotencyKeys keys;

    StockAdminController(Stocking stocking, IdempotencyKeys keys) {
        this.stocking = stocking;
        this.keys = keys;
    }

    @PutMapping("/{sku}")
    @Operation(summary = "Create a SKU, or restock it: add units to what is available",
            description = "A new SKU needs unitPrice. A restock adds `available` units and never changes the price: "
                    + "a unitPrice that differs from the current one is refused. Writes a ledger entry in the same "
                    + "local transaction, so `stocked` grows by the units added. Not idempotent by nature: every "
                    + "request adds its units, so a retry after a timeout adds them twice, unless it carries the "
                    + "Idempotency-Key of the first: then the first answer is given again (header "
                    + "Idempotent-Replayed: true) and nothing is added. The key is stored in the local transaction "
                    + "that adds the units. For bulk loads use the seed, which is idempotent by design.")
    @ApiResponse(responseCode = "201", description = "The SKU was created; its stock")
    @ApiResponse(responseCode = "200", description = "The SKU was restocked; its stock")
    @ApiResponse(responseCode = "400", description = "Invalid stocking (each field and rule named), a new SKU without "
            + "unitPrice, or a malformed Idempotency-Key")
    @ApiResponse(responseCode = "409", description = "unitPrice differs from the SKU's price, the SKU would hold "
            + "more than 2147483647 units, a concurrent request created it first, or a request with the same "
            + "Idempotency-Key is in flight",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with another request",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<StockView> stock(@PathVariable @Pattern(regexp = Stocking.SKU) String sku,
            @Parameter(description = "optional; names this stocking, so that a retry with the same key adds nothing "
                    + "(without it, a retry adds the units again). 1 to 255 visible ASCII characters, optionally "
                    + "quoted", example = IdempotencyKey.EXAMPLE)
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody StockRequest request) {
        BigDecimal unitPrice = cents(request.unitPrice());
        return keys.once(idempotencyKey, new Keyed(sku, unitPrice, request.available()), StockView.class,
                location(sku), claim -> answer(sku, stocking.stock(sku, unitPrice, request.available(), claim)));
    }

    private static ResponseEntity<StockView> answer(String sku, Stocking.Stocked stocked) {
        if (stocked.created()) {
            return ResponseEntity.created(location(sku)).body(stocked.view());
        }
        return ResponseEntity.ok(stocked.view());
    }

    private static URI location(String sku) {
        return URI.create("/stock/" + sku);
    }

    @PostMapping("/seed")
    @Operation(summary = "Seed many SKUs at once, idempotently: each should hold at least the units named",
            description = "A missing SKU is created with `available` units at `unitPrice`; an existing one with fewer "
                    + "available units is restocked by the difference; any other is left alone. Prices of existing "
                    + "SKUs are never changed: up to ten whose price differs are named in `priceDiffers`. One local "
                    + "transaction, all or nothing; sending the same seed again changes nothing.")
    @ApiResponse(responseCode = "200", description = "What the seed created, restocked and left alone")
    @ApiResponse(responseCode = "409", description = "A SKU would hold more than 2147483647 units, or a concurrent "
            + "request created one of the SKUs (nothing was changed; send the seed again)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    Stocking.SeedResult seed(@Valid @RequestBody SeedRequest request) {
        return stocking.seed(request.items().stream()
                .map(i -> new Stocking.Want(i.sku(), cents(i.unitPrice()), i.available())).toList());
    }


    /** Validated to at most two decimals, so this only fixes the scale: 2.5 becomes 2.50. */
    private static BigDecimal cents(BigDecimal price) {
        return price == null ? null : price.setScale(2, RoundingMode.UNNECESSARY);
    }
}
