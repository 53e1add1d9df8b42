package io.dtxlab.core.paxos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Storage that lives as long as the object: for simulations (a simulated crash keeps this object and drops the
 * node) and tests, and as the state a durable storage keeps in memory beside its file. Alone it is not for
 * production: a real crash loses it.
 */
public final class InMemoryPaxosStorage implements PaxosStorage {

    private Ballot promised = Ballot.ZERO;
    private final TreeMap<Long, AcceptedValue> accepted = new TreeMap<>();
    private final TreeMap<Long, SlotValue> chosen = new TreeMap<>();
    private long compactedThrough;
    private long writes;

    @Override
    public synchronized Ballot promised() {
        return promised;
    }

    @Override
    public synchronized Collection<AcceptedValue> accepted() {
        return List.copyOf(accepted.values());
    }

    @Override
    public synchronized Collection<SlotValue> chosen() {
        return new ArrayList<>(chosen.values());
    }

    /** The value accepted for {@code slot} in the highest ballot, or null if none (or compacted away). */
    public synchronized AcceptedValue accepted(long slot) {
        return accepted.get(slot);
    }

    @Override
    public synchronized long compactedThrough() {
        return compactedThrough;
    }

    @Override
    public synchronized void write(StorageWrite write) {
        if (write.promised() != null) {
            promised = write.promised();
        }
        write.accepted().forEach(a -> accepted.put(a.slot(), a));
        write.chosen().forEach(c -> chosen.put(c.slot(), c));
        if (write.compactedThrough() > compactedThrough) {
            compactedThrough = write.compactedThrough();
            accepted.headMap(compactedThrough, true).clear();
            chosen.headMap(compactedThrough, true).clear();
        }
        writes++;
    }

    /** How many writes reached this storage (the number of disk commits a real one would make). */
    public synchronized long writes() {
        return writes;
    }
}
