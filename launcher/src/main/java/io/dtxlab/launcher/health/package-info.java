/** Asks a node over HTTP whether it is healthy and who it is (actuator health and info). */
package io.dtxlab.launcher.health;
