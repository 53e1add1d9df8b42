/**
 * One OpenAPI document per node, titled after the service, with the two token schemes that Swagger
 * UI's Authorize button fills in. Controllers declare the status codes they answer ({@code @ApiResponse});
 * {@link io.dtxlab.platform.openapi.ProblemResponses} adds the problem details the platform answers on any
 * operation and makes every error an {@code application/problem+json} body with an example;
 * {@link io.dtxlab.platform.openapi.ServiceDocument} applies the service's tag order and the examples of
 * {@code openapi/service-platform.json} (the platform's operations), of the shared modules the service's file includes
 * ({@code openapi/participant-kit.json}) and of {@code openapi/<module>.json}: every success with a body has one.
 * springdoc builds the document while the node starts.
 */
package io.dtxlab.platform.openapi;
