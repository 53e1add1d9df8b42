package io.dtxlab.order.order;

import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.platform.idempotency.IdempotencyKey;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import io.dtxlab.platform.tracing.MessageTracing;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
    private final ExecutorService placing;
    private final MessageTracing tracing;

    /**
     * @param placingAtOnce how many orders wait for their coordinator at once ({@code dtx.orders.placing-at-once}); more
     *     wait in line, in order, and their time in line counts in their latency
     */
    OrderController(OrderRepository orders, OrderPlacement placement, IdempotencyKeys keys,
            @Value("${dtx.orders.placing-at-once:256}") int placingAtOnce, MessageTracing tracing) {
        this.orders = orders;
        this.placement = placement;
        this.keys = keys;
        this.tracing = tracing;
        this.placing = DaemonThreads.fixed("dtx-order-placing", placingAtOnce);
    }

    @PreDestroy
    void stop() {
        placing.shutdownNow();
    }

    @PostMapping("/orders")
    @Transactional(propagation = Propagation.NEVER)
    @Operation(summary = "Place an order: one global transaction across order, inventory and payment",
            description = "201 with the outcome (CONFIRMED, or REJECTED with who voted no and why); 202 when the "
                    + "outcome is not known yet (poll the Location); 503 when the coordinator cannot be reached. "
                    + "With an Idempotency-Key header (1 to 255 visible ASCII characters, optionally quoted), a retry "
                    + "places nothing new: the same key and body answer the first 201 again (header "
                    + "Idempotent-Replayed: true) or resume the same order when its outcome was not known; another "
                    + "body with the key is 422, a retry while the first is in flight 409, a malformed key 400. "
                    + "Without the header every request is a new order")
    @ApiResponse(responseCode = "201", description = "The outcome is known: CONFIRMED (every branch committed) or "
            + "REJECTED (a participant voted no; reason says who and why). Location: /orders/{orderId}. A retry "
            + "under the same Idempotency-Key answers this again, with Idempotent-Replayed: true")
    @ApiResponse(responseCode = "202", description = "The outcome is not known yet (PENDING): no coordinator answered "
            + "in time. Poll the Location, or retry with the same Idempotency-Key to resume the same order")
    @ApiResponse(responseCode = "400", description = "Invalid order (the problem names each field and rule), or a "
            + "malformed Idempotency-Key")
    @ApiResponse(responseCode = "409", description = "A request with the same Idempotency-Key is still in flight, or a "
            + "concurrent one stored the key first: retry once it is answered")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with another order")
    @ApiResponse(responseCode = "502", description = "The coordinator refused the transaction; the detail gives its "
            + "answer, 'peer' and 'outcome' (REFUSED) name it")
    @ApiResponse(responseCode = "503", description = "No coordinator leads now (none found within 5 s): nothing was "
            + "done, the order was not placed; retry")
    CompletableFuture<ResponseEntity<PlacedOrder>> place(
            @Parameter(description = "names this request: a retry with the same key places no second order",
                    example = IdempotencyKey.EXAMPLE)
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrder order) {
        IdempotencyKey key = idempotencyKey == null ? null : IdempotencyKey.parse(idempotencyKey);
        if (order.locksSemantically() && !"SAGA".equals(order.protocolOrDefault())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "semanticLock is a saga's countermeasure for its"
                    + " missing isolation: use it with protocol SAGA, not " + order.protocolOrDefault());
        }
        // The wait for the coordinator happens off the request threads: this node is a participant too, and the
        // prepare and commit of its own branch need a request thread while its orders wait. Were orders to hold
        // them all (more clients than threads), every order would time out in phase one. The request's trace goes
        // along, and from there to the coordinator (tracing off: null, and the order runs as it is).
        Object trace = tracing.capture();
        return CompletableFuture.supplyAsync(() -> tracing.within(trace, () -> key == null
                ? answer(placement.place(order, OrderPlacement.OrderIds.fresh()))
                : placeOnce(key, order)), placing);
    }

    private ResponseEntity<PlacedOrder> placeOnce(IdempotencyKey key, PlaceOrder order) {
        // the request as parsed: whitespace, field order and an omitted default protocol do not count
        PlaceOrder normal = order.normal();
        try (IdempotencyKeys.Claim claim = keys.claim(key, keys.fingerprint(normal))) {
            Optional<IdempotencyKeys.Replay<PlacedOrder>> replay = claim.replay(PlacedOrder.class);
            if (replay.isPresent()) {
                return replay.get().toResponse(location(replay.get().body()));
            }
            // a key stored without a final answer (202, 503, a crash mid-order): resume that order, same ids
            OrderPlacement.OrderIds ids = claim.resourceRef().map(OrderPlacement.OrderIds::ofReference)
                    .orElseGet(() -> {
                        OrderPlacement.OrderIds fresh = OrderPlacement.OrderIds.fresh();
                        claim.reserve(fresh.reference()); // committed before the order is placed
                        return fresh;
                    });
            Optional<PlacedOrder> settled = claim.resourceRef().isPresent() ? placement.settled(order, ids)
                    : Optional.empty();
            ResponseEntity<PlacedOrder> answer = answer(settled.orElseGet(() -> placement.place(order, ids)));
            if (answer.getStatusCode() == HttpStatus.CREATED) {
                // only a final answer is repeated; after a 202 (or a 503) a retry resumes the same order
                claim.answered(answer.getStatusCode().value(), answer.getBody());
            }
            return answer;
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
    @ApiResponse(responseCode = "200", description = "The order, with its status: PENDING, CONFIRMED or REJECTED")
    @ApiResponse(responseCode = "404", description = "No order with this id")
    OrderView one(@PathVariable String id) {
        return orders.findById(id).map(CustomerOrder::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown order '" + id + "'"));
    }
}
