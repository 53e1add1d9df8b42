package io.dtxlab.launcher;

/**
 * A failure the user can fix (wrong node id, port taken, cluster not running). {@link Dtx} prints
 * only the message, no stack trace, and exits with {@link #exitCode()}.
 */
public final class UserError extends RuntimeException {

    /** Exit code for a wrong argument, as picocli uses for usage errors. */
    public static final int USAGE = 2;

    private final int exitCode;

    public UserError(String message) {
        this(message, 1);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
