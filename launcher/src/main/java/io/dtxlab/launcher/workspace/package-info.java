/**
 * The data directory every command works on ({@code --data-dir}, default {@code ./data}): its layout,
 * the remembered cluster settings, the tokens, and where the repository and its jars are. Commands
 * share nothing but this directory, so a launcher killed with SIGKILL leaves enough behind to clean up.
 */
package io.dtxlab.launcher.workspace;
