package io.dtxlab.core.paxos;

import java.util.Collection;

/**
 * The durable state of one node: what its acceptor promised and accepted, the slots it knows are chosen, and its
 * compaction point (every slot up to it is chosen, applied by the application, and discarded here).
 *
 * <p><b>Durability order.</b> {@link #write(StorageWrite)} must not return before the write is durable (an H2 file
 * commit with {@code WRITE_DELAY=0}, an fsync): an acceptor's promise or accept that a crash can forget lets two
 * values be chosen for one slot. {@link Ready#persist(PaxosStorage)} calls it before it hands out the messages to
 * send, so no reply can leave before the state it reports is on disk. One write is atomic: all of it or nothing.
 *
 * <p>The reads are only used when a node (re)starts ({@link PaxosNode#recover}).
 */
public interface PaxosStorage {

    /** The highest ballot this acceptor promised, {@link Ballot#ZERO} if none. */
    Ballot promised();

    /** For each slot after the compaction point, the value accepted in the highest ballot. */
    Collection<AcceptedValue> accepted();

    /** The slots after the compaction point known to be chosen. */
    Collection<SlotValue> chosen();

    /** The compaction point: the last slot discarded ({@link StorageWrite#compactedThrough()}), 0 if none. */
    long compactedThrough();

    /**
     * Durably and atomically stores a new promise (if any), accepted values and chosen values, and then, if the write
     * moves the compaction point, deletes every accepted and chosen value up to it and stores the point.
     */
    void write(StorageWrite write);
}
