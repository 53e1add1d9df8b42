/**
 * One OpenAPI document per node, titled after the service, with the two token schemes that Swagger
 * UI's Authorize button fills in, and the problem-detail error responses added to every operation.
 */
package io.dtxlab.platform.openapi;
