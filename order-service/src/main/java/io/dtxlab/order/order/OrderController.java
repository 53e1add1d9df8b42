package io.dtxlab.order.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Orders", description = "Orders and the outcome of their transactions")
@Transactional(readOnly = true)
class OrderController {

    private final OrderRepository orders;
    private final OrderPlacement placement;

    OrderController(OrderRepository orders, OrderPlacement placement) {
        this.orders = orders;
        this.placement = placement;
    }

    @PostMapping("/orders")
    @Transactional(propagation = Propagation.NEVER)
    @Operation(summary = "Place an order: one global transaction across order, inventory and payment",
            description = "201 with the outcome (CONFIRMED, or REJECTED with who voted no and why); 202 when the "
                    + "outcome is not known yet (poll the Location); 503 when the coordinator cannot be reached")
    ResponseEntity<PlacedOrder> place(@Valid @RequestBody PlaceOrder order) {
        PlacedOrder placed = placement.place(order);
        HttpStatus status = "PENDING".equals(placed.outcome()) ? HttpStatus.ACCEPTED : HttpStatus.CREATED;
        return ResponseEntity.status(status).location(URI.create("/orders/" + placed.orderId())).body(placed);
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
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown order '" + id + "' (an order answered with 202 shows here once its branch is prepared)"));
    }
}
