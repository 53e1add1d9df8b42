/**
 * Orders and their outcome. Placing an order ({@code OrderPlacement}) asks the coordinator to run one global
 * transaction with three branches: this service's own (create the order: {@code OrderBranch}), inventory's (take
 * the stock) and payment's (charge the customer).
 */
package io.dtxlab.order.order;
