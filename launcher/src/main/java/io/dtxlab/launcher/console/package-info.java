/**
 * Plain progress lines with the elapsed time. No cursor tricks: the output is often a pipe (a test, CI,
 * {@code | tee}), and a line per state change reads well there and in a terminal.
 */
package io.dtxlab.launcher.console;
