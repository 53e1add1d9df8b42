package io.dtxlab.core.paxos;

import java.util.List;

/**
 * The output of one call into a {@link PaxosNode}, to be handled completely, and in this order, before the next
 * call: <b>persist, then send, then apply</b>. The types enforce the order: the messages only come out of
 * {@link #persist(PaxosStorage)}, and the chosen values only out of {@link Outbox#send(PaxosTransport)}.
 *
 * <pre>{@code
 * node.tick(now).persist(storage).send(transport).forEach(stateMachine::apply);
 * }</pre>
 *
 * If {@code persist} throws, the node's memory is ahead of its disk: drop the node and
 * {@link PaxosNode#recover recover} a new one from storage.
 */
public final class Ready {

    private final StorageWrite write;
    private final List<PaxosMessage> messages;
    private final List<SlotValue> chosen;
    private final List<String> snapshotsTo;

    Ready(StorageWrite write, List<PaxosMessage> messages, List<SlotValue> chosen, List<String> snapshotsTo) {
        this.write = write;
        this.messages = List.copyOf(messages);
        this.chosen = List.copyOf(chosen);
        this.snapshotsTo = List.copyOf(snapshotsTo);
    }

    /** Step 1: makes the state changes durable, and only then hands out what may be sent. */
    public Outbox persist(PaxosStorage storage) {
        if (!write.isEmpty()) {
            storage.write(write);
        }
        return new Outbox(messages, chosen, snapshotsTo);
    }

    /** What this step will write (for logs and tests; writing it is {@link #persist}'s job). */
    public StorageWrite write() {
        return write;
    }

    /** The messages of this step (sent by {@link Outbox#send}, or by a {@link PersistPipeline}). */
    List<PaxosMessage> messages() {
        return messages;
    }

    /** The chosen values this step hands out to apply, in slot order. */
    List<SlotValue> chosen() {
        return chosen;
    }

    /**
     * The peers this leader found behind its compaction point: send each an {@link PaxosMessage.InstallSnapshot} of
     * the application's applied state. They depend on nothing this step writes (an applied slot is chosen), so they
     * may go at once; the node asks again for the same peer at most once per election timeout.
     */
    public List<String> snapshotsTo() {
        return snapshotsTo;
    }

    public boolean isEmpty() {
        return write.isEmpty() && messages.isEmpty() && chosen.isEmpty() && snapshotsTo.isEmpty();
    }

    /** The messages of a step whose state is durable. */
    public static final class Outbox {

        private final List<PaxosMessage> messages;
        private final List<SlotValue> chosen;
        private final List<String> snapshotsTo;

        private Outbox(List<PaxosMessage> messages, List<SlotValue> chosen, List<String> snapshotsTo) {
            this.messages = messages;
            this.chosen = chosen;
            this.snapshotsTo = snapshotsTo;
        }

        public List<PaxosMessage> messages() {
            return messages;
        }

        /** The peers to send a snapshot of the applied state ({@link Ready#snapshotsTo()}). */
        public List<String> snapshotsTo() {
            return snapshotsTo;
        }

        /**
         * Step 2: sends every message, and hands out step 3: the newly chosen values, in slot order and without
         * gaps, continuing where the previous step stopped. No-ops are included (skip them) so slots stay contiguous.
         */
        public List<SlotValue> send(PaxosTransport transport) {
            messages.forEach(transport::send);
            return chosen;
        }
    }
}
