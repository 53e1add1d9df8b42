package io.dtxlab.order.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Orders", description = "Orders and the outcome of their transactions")
@Transactional(readOnly = true)
class OrderController {

    private final OrderRepository orders;
    private final OrderPlacement placement;
    private final IdempotencyKeys keys;

    OrderController(OrderRepository orders, OrderPlacement placement, IdempotencyKeys keys) {
        this.orders = orders;
        this.placement = placement;
        this.keys = keys;
    }

    /** Set on an answer that repeats the first answer given under the request's Idempotency-Key. */
    static final String REPLAYED = "Idempotent-Replayed";

    @PostMapping("/orders")
    @Transactional(propagation = Propagation.NEVER)
    @Operation(summary = "Place an order: one global transaction across order, inventory and payment",
            description = "201 with the outcome (CONFIRMED, or REJECTED with who voted no and why); 202 when the "
                    + "outcome is not known yet (poll the Location); 503 when the coordinator cannot be reached. "
                    + "With an Idempotency-Key header (1 to 255 visible ASCII characters, optionally quoted), a retry "
                    + "places nothing new: the same key and body answer the first 201 again (header "
                    + "Idempotent-Replayed: true) or resume the same order when its outcome was not known; another "
                    + "body with the key is 422, a retry while the first is in flight 409, a malformed key 400")
    ResponseEntity<PlacedOrder> place(
            @Parameter(description = "names this request: a retry with the same key places no second order",
                    example = "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrder order) {
        if (idempotencyKey == null) {
            return answer(placement.place(order, OrderPlacement.OrderIds.fresh()));
        }
        IdempotencyKey key = IdempotencyKey.parse(idempotencyKey);
        IdempotencyKeys.Claim claim = keys.claim(key, order, OrderPlacement.OrderIds.fresh());
        try {
            if (claim instanceof IdempotencyKeys.Replay replay) {
                return ResponseEntity.status(replay.status()).header(REPLAYED, "true")
                        .location(location(replay.answer())).body(replay.answer());
            }
            ResponseEntity<PlacedOrder> answer = answer(placement.place(order, ((IdempotencyKeys.Place) claim).ids()));
            if (answer.getStatusCode() == HttpStatus.CREATED) {
                // only a final answer is repeated; after a 202 (or a 503) a retry resumes the same order
                keys.answered(key, answer.getStatusCode().value(), answer.getBody());
            }
            return answer;
        } finally {
            keys.release(key);
        }
    }

    private static ResponseEntity<PlacedOrder> answer(PlacedOrder placed) {
        HttpStatus status = "PENDING".equals(placed.outcome()) ? HttpStatus.ACCEPTED : HttpStatus.CREATED;
        return ResponseEntity.status(status).location(location(placed)).body(placed);
    }

    private static URI location(PlacedOrder placed) {
        return URI.create("/orders/" + placed.orderId());
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
