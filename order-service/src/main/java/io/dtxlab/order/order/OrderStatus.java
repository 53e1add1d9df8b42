package io.dtxlab.order.order;

/** An order's status follows its branch: PENDING while prepared, then CONFIRMED (commit) or REJECTED (abort). */
enum OrderStatus {
    PENDING,
    CONFIRMED,
    REJECTED
}
