package io.dtxlab.launcher.console;

import java.io.PrintStream;
import java.util.Locale;

/** Prints {@code [  14.2s] inventory       UP        http://localhost:8082}-style lines; thread-safe. */
public final class ProgressLog {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    public ProgressLog(PrintStream out) {
        this.out = out;
    }

    public synchronized void state(String node, String state, String detail) {
        out.println(format(elapsedSeconds(), node, state, detail));
        out.flush();
    }

    /** A step before the nodes run, of something wider than a node (e.g. a module): {@code [   3.1s] order-service  ...}. */
    public synchronized void step(String subject, String detail) {
        out.println(formatStep(elapsedSeconds(), subject, detail));
        out.flush();
    }

    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds with one decimal and a dot whatever the locale, so tests and the README can quote it. */
    public static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }

    static String formatStep(double elapsed, String subject, String detail) {
        return String.format(Locale.ROOT, "[%6.1fs] %-19s %s", elapsed, subject, detail).stripTrailing();
    }

    static String format(double elapsed, String node, String state, String detail) {
        return String.format(Locale.ROOT, "[%6.1fs] %-15s %-9s %s", elapsed, node, state, detail).stripTrailing();
    }
}
