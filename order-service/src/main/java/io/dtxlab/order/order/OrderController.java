package io.dtxlab.order.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Orders", description = "Orders and the outcome of their transactions")
@Transactional(readOnly = true)
class OrderController {

    private final OrderRepository orders;

    OrderController(OrderRepository orders) {
        this.orders = orders;
    }

    @GetMapping("/orders")
    @Operation(summary = "List the most recent orders, newest first")
    List<OrderView> recent(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return orders.findAllByOrderByCreatedAtDesc(Limit.of(limit)).stream().map(CustomerOrder::view).toList();
    }

    @GetMapping("/orders/{id}")
    @Operation(summary = "Show one order and its outcome")
    OrderView one(@PathVariable String id) {
        return orders.findById(id).map(CustomerOrder::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown order '" + id + "'"));
    }
}
