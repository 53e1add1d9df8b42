package io.dtxlab.inventory.stock;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Stock", description = "What is available, reserved by prepared branches, and sold")
@Transactional(readOnly = true)
class StockController {

    private final StockRepository stock;

    StockController(StockRepository stock) {
        this.stock = stock;
    }

    @GetMapping("/stock")
    @Operation(summary = "List the stock of every SKU")
    List<StockView> all() {
        return stock.findAllByOrderBySkuAsc().stream().map(StockItem::view).toList();
    }

    @GetMapping("/stock/{sku}")
    @Operation(summary = "Show one SKU's stock: available, reserved and sold")
    StockView one(@PathVariable String sku) {
        return stock.findBySku(sku).map(StockItem::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown SKU '" + sku + "'"));
    }
}
