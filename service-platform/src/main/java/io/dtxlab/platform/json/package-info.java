/**
 * Strict JSON types for request bodies: numbers that Jackson would otherwise coerce are refused, and the refusal
 * becomes a 400 validation problem naming the field (see {@code io.dtxlab.platform.problem}).
 */
package io.dtxlab.platform.json;
