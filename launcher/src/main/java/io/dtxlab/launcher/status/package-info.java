/** {@code ./dtx status}: every node's process, health, role and incarnation, from pid files and HTTP. */
package io.dtxlab.launcher.status;
