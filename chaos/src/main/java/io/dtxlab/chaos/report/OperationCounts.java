package io.dtxlab.chaos.report;

import io.dtxlab.chaos.history.Operation;

/**
 * How a set of client operations ended, by Jepsen's completion types.
 *
 * @param ok operations that happened
 * @param fail operations that definitely did not
 * @param info operations of unknown outcome (including those the history never completed)
 */
public record OperationCounts(long ok, long fail, long info) {

    /** No operations. */
    public static final OperationCounts NONE = new OperationCounts(0, 0, 0);

    public OperationCounts {
        if (ok < 0 || fail < 0 || info < 0) {
            throw new IllegalArgumentException("counts are 0 or more: ok " + ok + ", fail " + fail + ", info " + info);
        }
    }

    /** Counts {@code operations}. */
    public static OperationCounts of(Iterable<Operation> operations) {
        OperationCounts counts = NONE;
        for (Operation op : operations) {
            counts = counts.plus(op);
        }
        return counts;
    }

    /** These counts and {@code op}. */
    public OperationCounts plus(Operation op) {
        return new OperationCounts(ok + (op.ok() ? 1 : 0), fail + (op.failed() ? 1 : 0), info + (op.unknown() ? 1 : 0));
    }

    /** All the operations counted. */
    public long total() {
        return ok + fail + info;
    }
}
