/**
 * The {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header) for every endpoint that
 * changes state and is not idempotent by nature: the key's parsing ({@link io.dtxlab.platform.idempotency.IdempotencyKey})
 * and its durable store ({@link io.dtxlab.platform.idempotency.IdempotencyKeys}, the node's own
 * {@code idempotency_keys} table, created by each service's own migration). The same key and request answer the
 * first answer again with {@code Idempotent-Replayed: true}; another request with the key is a 422; a retry while
 * the first is being answered a 409.
 */
package io.dtxlab.platform.idempotency;
