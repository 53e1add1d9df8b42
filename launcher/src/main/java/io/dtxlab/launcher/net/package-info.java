/** Is a port free? Checked before starting anything, so a clash is reported by port and node name. */
package io.dtxlab.launcher.net;
