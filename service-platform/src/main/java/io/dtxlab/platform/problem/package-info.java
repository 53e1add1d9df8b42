/**
 * Every error is an RFC 9457 problem detail ({@code application/problem+json}) with a message a
 * person can act on; a validation error names each field and the rule it broke.
 */
package io.dtxlab.platform.problem;
