package io.dtxlab.core.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which master owned which part of the log: epoch 1 starts at index 1 under the configured master, and each
 * election starts a new epoch at the winner's last index + 1. An entry belongs to the history when its epoch owns
 * its index; an entry that does not (an old master's writes that never reached the new master) has diverged.
 */
public final class EpochHistory {

    /**
     * @param epoch the epoch number
     * @param master the master of that epoch
     * @param startIndex the first log index written in that epoch
     */
    public record Epoch(long epoch, String master, long startIndex) {

        public Epoch {
            Objects.requireNonNull(master, "master");
            if (epoch < 1 || startIndex < 1) {
                throw new IllegalArgumentException("epoch and start index start at 1: " + epoch + "/" + startIndex);
            }
        }
    }

    private final List<Epoch> epochs;

    private EpochHistory(List<Epoch> epochs) {
        this.epochs = List.copyOf(epochs);
    }

    public static EpochHistory initial(String master) {
        return new EpochHistory(List.of(new Epoch(1, master, 1)));
    }

    public static EpochHistory of(List<Epoch> epochs) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("an epoch history has at least epoch 1");
        }
        List<Epoch> sorted = new ArrayList<>(epochs);
        sorted.sort(Comparator.comparingLong(Epoch::epoch));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).epoch() == sorted.get(i - 1).epoch()
                    || sorted.get(i).startIndex() < sorted.get(i - 1).startIndex()) {
                throw new IllegalArgumentException("epochs must grow and never start before the one before: " + sorted);
            }
        }
        return new EpochHistory(sorted);
    }

    /** The history with a newer epoch appended. */
    public EpochHistory with(Epoch next) {
        if (next.epoch() <= current().epoch()) {
            throw new IllegalArgumentException("epoch " + next.epoch() + " is not newer than " + current().epoch());
        }
        List<Epoch> list = new ArrayList<>(epochs);
        list.add(next);
        return of(list);
    }

    public Epoch current() {
        return epochs.get(epochs.size() - 1);
    }

    public List<Epoch> epochs() {
        return epochs;
    }

    public Optional<Epoch> epoch(long epoch) {
        return epochs.stream().filter(e -> e.epoch() == epoch).findFirst();
    }

    /** The last index {@code epoch} owns: the index before the next known epoch starts, or unbounded. */
    public long lastIndexOf(long epoch) {
        for (Epoch e : epochs) {
            if (e.epoch() > epoch) {
                return e.startIndex() - 1;
            }
        }
        return Long.MAX_VALUE;
    }

    /** True when the entry's epoch is known here and owns the entry's index. */
    public boolean owns(LogEntry entry) {
        Optional<Epoch> epoch = epoch(entry.epoch());
        return epoch.isPresent() && entry.index() >= epoch.get().startIndex() && entry.index() <= lastIndexOf(entry.epoch());
    }

    /**
     * The entries of {@code tail} (a node's log from some index on, in index order) that this history does not own:
     * from the first such entry to the end, since a log that forked stays forked.
     */
    public List<LogEntry> divergent(List<LogEntry> tail) {
        for (int i = 0; i < tail.size(); i++) {
            if (!owns(tail.get(i))) {
                return List.copyOf(tail.subList(i, tail.size()));
            }
        }
        return List.of();
    }
}
