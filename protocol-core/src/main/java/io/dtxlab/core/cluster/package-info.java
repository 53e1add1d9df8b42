/**
 * Who is in the cluster: node ids, their roles and where they listen. The launcher, docker compose
 * and every service read the default topology from here, so the ports table lives in one place.
 */
package io.dtxlab.core.cluster;
