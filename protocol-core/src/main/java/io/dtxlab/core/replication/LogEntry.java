package io.dtxlab.core.replication;

import java.util.Objects;

/**
 * One entry of the replication log. Indexes are dense and never reused: an entry the master undid
 * (REJECT) stays in the log as {@code undone}, a no-op that slaves apply by just moving their index.
 *
 * @param index position in the log, from 1
 * @param epoch the epoch of the master that wrote it
 * @param op put or delete
 * @param key the key
 * @param value the new value; null for a delete
 * @param mode the replication mode the master actually used for it
 * @param writtenAtMs when the master wrote it (the master's clock), for lag in ms
 * @param undone true if the master undid it (REJECT) after some slaves may have applied it
 */
public record LogEntry(long index, long epoch, Op op, String key, String value, ReplicationMode mode,
        long writtenAtMs, boolean undone) {

    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("log index starts at 1, was " + index);
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1, was " + epoch);
        }
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mode, "mode");
        if (op == Op.PUT && value == null) {
            throw new IllegalArgumentException("a PUT needs a value");
        }
    }

    public LogEntry asUndone() {
        return new LogEntry(index, epoch, op, key, value, mode, writtenAtMs, true);
    }
}
