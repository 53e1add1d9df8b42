/**
 * Strict JSON types on every node's mapper: a value of the wrong JSON type (a fraction or a string where an integer
 * belongs, a number where a string or a boolean belongs, ...) is refused instead of coerced, and the refusal becomes
 * a 400 validation problem naming the field (see {@code io.dtxlab.platform.problem}).
 */
package io.dtxlab.platform.json;
