/**
 * {@code ./dtx bench} and {@code ./dtx seed}: the command line of the {@code bench} module's engine. The targets
 * come from the data directory (ports, admin token, the launcher's pid), or from {@code --url} for a cluster on
 * another host (docker compose publishes the same ports).
 */
package io.dtxlab.launcher.bench;
