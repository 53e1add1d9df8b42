package io.dtxlab.inventory.stock;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Stock", description = "What is available, reserved by prepared branches, sold, and ever stocked")
@Transactional(readOnly = true)
class StockController {

    /** Most SKUs one {@code GET /stock} lists. */
    static final int MAX_LIST = 10_000;

    private final StockLedger stock;

    StockController(StockLedger stock) {
        this.stock = stock;
    }

    @GetMapping("/stock")
    @Operation(summary = "List the stock of the first SKUs, in SKU order")
    List<StockView> all(@Parameter(description = "how many SKUs, 1..10000") @RequestParam(defaultValue = "100")
            @Min(1) @Max(MAX_LIST) int limit) {
        return stock.first(limit);
    }

    @GetMapping("/stock/totals")
    @Operation(summary = "Sum the stock over every SKU: how many SKUs, and units available, reserved, sold and stocked")
    StockTotals totals() {
        return stock.totals();
    }

    @GetMapping("/stock/{sku}")
    @Operation(summary = "Show one SKU's stock: available, reserved, sold and ever stocked")
    @ApiResponse(responseCode = "200", description = "The SKU's stock and price")
    @ApiResponse(responseCode = "404", description = "No such SKU")
    StockView one(@PathVariable String sku) {
        return stock.view(sku)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown SKU '" + sku + "'"));
    }
}
