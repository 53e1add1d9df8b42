package io.dtxlab.platform.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The most recent messages this node sent (HTTP exchanges of the {@link ClusterClient} and datagrams of
 * {@link PeerDatagrams}, numbered in one sequence), in a fixed-size ring (old ones fall off), plus listeners
 * that later features (timelines, counters per transaction) attach to.
 */
@Component
public class MessageLog {

    static final int CAPACITY = 10_000;

    private final MessageRecord[] ring = new MessageRecord[CAPACITY];
    private long written;
    private final List<Consumer<MessageRecord>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();

    /** The next sequence number of a message this node sends, whichever transport carries it. */
    long nextSeq() {
        return seq.incrementAndGet();
    }

    void record(MessageRecord message) {
        synchronized (ring) {
            ring[(int) (written % CAPACITY)] = message;
            written++;
        }
        listeners.forEach(l -> l.accept(message));
    }

    /** Calls {@code listener} for every message recorded from now on, on the sending thread. */
    public void subscribe(Consumer<MessageRecord> listener) {
        listeners.add(listener);
    }

    /** The last {@code limit} messages, oldest first; only those about {@code scope} when it is given. */
    public List<MessageRecord> recent(String scope, int limit) {
        List<MessageRecord> out = new ArrayList<>();
        synchronized (ring) {
            long from = Math.max(0, written - CAPACITY);
            for (long i = written - 1; i >= from && out.size() < limit; i--) {
                MessageRecord m = ring[(int) (i % CAPACITY)];
                if (scope == null || scope.equals(m.scope())) {
                    out.add(m);
                }
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }
}
