/**
 * Who may call what. Business endpoints are open; {@code /internal/**} (calls between our services)
 * needs the cluster token in {@code X-Cluster-Token}; {@code /admin/**} (fault injection, node control)
 * needs the admin token in {@code X-Admin-Token}. Tokens are compared in constant time and never logged.
 */
package io.dtxlab.platform.security;
