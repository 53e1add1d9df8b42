/**
 * The edge every service shares, so that no service copies another: node identity and its data
 * directory ({@code node}), tokens ({@code security}), RFC 9457 errors ({@code problem}), strict
 * JSON types ({@code json}), the OpenAPI document ({@code openapi}), fault
 * injection and partitions ({@code fault}), the one instrumented HTTP client with its message record
 * ({@code messaging}), cluster events on Kafka ({@code events}), and the web console at {@code /console/}
 * ({@code console}). A service gets all of it by
 * depending on this module.
 */
package io.dtxlab.platform;
