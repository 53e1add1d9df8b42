package io.dtxlab.core.quorum;

/**
 * The N/R/W knobs of one request: N replicas hold each key, a read waits for R of them, a write for W.
 * R + W &gt; N makes every read quorum overlap every write quorum in at least one replica, so a read sees the last
 * acknowledged write; R + W &le; N is allowed, and faster, but then a read may miss it (DeCandia et al.,
 * Dynamo, SOSP 2007, §4.5).
 *
 * @param n replicas per key
 * @param r replicas a read waits for
 * @param w replicas a write waits for
 */
public record Quorum(int n, int r, int w) {

    public Quorum {
        if (n < 1) {
            throw new IllegalArgumentException("N must be at least 1, was " + n);
        }
        check("R", r, n, "a read");
        check("W", w, n, "a write");
    }

    /** Whether every read quorum meets every write quorum: R + W &gt; N. */
    public boolean overlapping() {
        return r + w > n;
    }

    /** What a person should know about these knobs, or null when a read always sees the last acknowledged write. */
    public String staleWarning() {
        return overlapping() ? null
                : "R + W = " + (r + w) + " is not more than N = " + n + ": a read quorum need not meet the write "
                        + "quorum of the last acknowledged write, so reads may be stale";
    }

    /**
     * The warning for one request that stand-ins answered in (a sloppy quorum), or the knobs' own warning: a
     * stand-in holds only the hints it was given, so R + W &gt; N no longer guarantees the read meets the last write.
     *
     * @param standIns the stand-ins that answered, empty when only owners did
     */
    public String staleWarning(java.util.Collection<String> standIns) {
        if (standIns.isEmpty()) {
            return staleWarning();
        }
        return "stand-ins " + standIns + " answered for owners that did not (sloppy quorum): they hold only the "
                + "writes they stood in for, so this may miss the last acknowledged write"
                + (overlapping() ? "" : "; and " + staleWarning());
    }

    @Override
    public String toString() {
        return "N=" + n + " R=" + r + " W=" + w;
    }

    private static void check(String name, int value, int n, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(name + "=" + value + " is less than 1: " + what
                    + " must wait for at least one replica");
        }
        if (value > n) {
            throw new IllegalArgumentException(name + "=" + value + " is more than N=" + n + ": " + what
                    + " cannot wait for more replicas than hold the key");
        }
    }
}
