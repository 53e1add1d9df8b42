package io.dtxlab.core.paxos;

import io.dtxlab.core.paxos.PaxosMessage.Accept;
import io.dtxlab.core.paxos.PaxosMessage.Accepted;
import io.dtxlab.core.paxos.PaxosMessage.Chosen;
import io.dtxlab.core.paxos.PaxosMessage.PreVote;
import io.dtxlab.core.paxos.PaxosMessage.PreVoteReply;
import io.dtxlab.core.paxos.PaxosMessage.Prepare;
import io.dtxlab.core.paxos.PaxosMessage.Rejected;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Ready} discipline (persist, then send, then apply) for an adapter whose disk is slower than its node:
 * the node takes the next message while the previous steps are still being written. Pure and not thread-safe, like
 * {@link PaxosNode}: guard both with the same lock.
 *
 * <p>Each {@link Ready} is {@linkplain #offer offered} in the order the node returned them. Messages that depend on
 * no durable state leave at once ({@link #mayOvertake}); everything else waits in a queue that one writer drains
 * as {@link Batch}es: every write queued since the last batch merged into one (a group commit), then their messages,
 * then their chosen values. Messages of a batch to the same node are merged too (several accepts of one ballot
 * become one), so proposals made while the disk was busy travel in one round. Because batches are written in the
 * order of the steps, a message waiting in batch {@code k} leaves only when every step up to it is durable: the
 * {@link Ready} rule, for the whole stream.
 *
 * <pre>{@code
 * // under the node's lock
 * List<PaxosMessage> now = pipeline.offer(node.step(message, clock), null).now();
 * // outside it: send `now`; the writer thread, in a loop:
 * Batch batch;  synchronized (lock) { batch = pipeline.next(); }   // when hasBatch()
 * storage.write(batch.write());                                    // durable
 * synchronized (lock) { pipeline.written(batch); }
 * batch.messages().forEach(transport::send);  apply(batch.chosen());
 * }</pre>
 *
 * Heartbeats, their answers, pre-votes and refusals therefore never wait behind a disk write: a leader's lease
 * survives a busy disk. A heartbeat also tells the followers which slots are chosen (its first unchosen slot), and
 * that may rest on this node's own acceptances still in the queue; so one that overtakes claims only the first
 * unchosen slot of the steps already durable, and leaves once more, with its full claim, in its batch.
 */
public final class PersistPipeline {

    /** What one writer turn does, in this order: write, then send, then apply. */
    public record Batch(StorageWrite write, List<PaxosMessage> messages, List<SlotValue> chosen, List<Object> tags,
            int steps) {

        public Batch {
            messages = List.copyOf(messages);
            chosen = List.copyOf(chosen);
            tags = List.copyOf(tags);
        }
    }

    /**
     * What {@link #offer} did with a step.
     *
     * @param now the messages to send at once
     * @param queued whether anything of the step waits for a batch (then its tag comes back in that batch)
     * @param snapshotsTo the peers to send a snapshot of the applied state now ({@link Ready#snapshotsTo()})
     */
    public record Offer(List<PaxosMessage> now, boolean queued, List<String> snapshotsTo) {

        static final Offer NOTHING = new Offer(List.of(), false, List.of());

        public Offer {
            now = List.copyOf(now);
            snapshotsTo = List.copyOf(snapshotsTo);
        }
    }

    private record Queued(Ready ready, List<PaxosMessage> waiting, Object tag) {
    }

    private final int maxBatch;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private Ballot durablyPromised;
    private boolean writing;
    /** The first unchosen slot of the latest accept whose step is durable: as far as an overtaking heartbeat claims. */
    private long durableFirstUnchosen = 1;

    /**
     * @param durablyPromised the ballot the storage holds as promised ({@link PaxosStorage#promised()})
     * @param maxBatch the most entries a merged accept or chosen notice carries
     */
    public PersistPipeline(Ballot durablyPromised, int maxBatch) {
        this.durablyPromised = Objects.requireNonNull(durablyPromised, "durablyPromised");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Takes the node's next {@link Ready}: the messages that may be sent now, and whether the rest waits for a
     * batch. {@code tag} (may be {@code null}) comes back in that batch's {@link Batch#tags()}, so an adapter can
     * tell when the step's messages leave (to answer a request with them, say).
     */
    public Offer offer(Ready ready, Object tag) {
        if (ready.isEmpty()) {
            return Offer.NOTHING;
        }
        boolean idle = queue.isEmpty() && !writing;
        if (idle && ready.write().isEmpty() && ready.chosen().isEmpty()) {
            // nothing is being written that these could depend on
            noteDurable(ready.messages());
            return new Offer(ready.messages(), false, ready.snapshotsTo());
        }
        List<PaxosMessage> now = new ArrayList<>();
        List<PaxosMessage> waiting = new ArrayList<>();
        for (PaxosMessage m : ready.messages()) {
            if (!mayOvertake(m)) {
                waiting.add(m);
            } else if (m instanceof Accept a && a.firstUnchosen() > durableFirstUnchosen) {
                // the slots it reports chosen may rest on queued writes: now with what is durable, later in full
                now.add(new Accept(a.from(), a.to(), a.ballot(), a.entries(), durableFirstUnchosen, a.sentAt()));
                waiting.add(a);
            } else {
                now.add(m);
            }
        }
        if (waiting.isEmpty() && ready.write().isEmpty() && ready.chosen().isEmpty()) {
            return new Offer(now, false, ready.snapshotsTo());
        }
        queue.add(new Queued(ready, waiting, tag));
        return new Offer(now, true, ready.snapshotsTo());
    }

    /**
     * Whether a message claims nothing that is not durable yet, so it may leave before the writes queued ahead of it:
     * pre-votes and their answers, refusals and prepares (they promise nothing), and a heartbeat or an answer to one
     * (no slots) in a ballot this node's promise already holds on disk. Promises, accepts with values, accepted
     * slots and chosen notices wait. ({@link #offer} sends an overtaking heartbeat with the first unchosen slot of the
     * durable steps, and the heartbeat itself again with its batch, when it claims more.)
     */
    public boolean mayOvertake(PaxosMessage m) {
        if (m instanceof PreVote || m instanceof PreVoteReply || m instanceof Rejected || m instanceof Prepare) {
            return true;
        }
        if (m instanceof Accept a) {
            return a.isHeartbeat() && !a.ballot().isHigherThan(durablyPromised);
        }
        if (m instanceof Accepted a) {
            return a.slots().isEmpty() && !a.ballot().isHigherThan(durablyPromised);
        }
        return false;
    }

    /** Whether a batch is ready for the writer: something is queued and no batch is being written. */
    public boolean hasBatch() {
        return !queue.isEmpty() && !writing;
    }

    /** Whether the writer holds a batch it has not reported {@link #written} yet. */
    public boolean writing() {
        return writing;
    }

    /** Steps queued and not yet handed to the writer. */
    public int queuedSteps() {
        return queue.size();
    }

    /** Takes everything queued as one batch for the writer. Call {@link #written} once its write is durable. */
    public Batch next() {
        if (!hasBatch()) {
            throw new IllegalStateException(writing ? "the previous batch is still being written" : "nothing queued");
        }
        writing = true;
        Ballot promised = null;
        long compactedThrough = 0;
        Map<Long, AcceptedValue> accepted = new LinkedHashMap<>();
        Map<Long, SlotValue> chosenWrites = new LinkedHashMap<>();
        List<PaxosMessage> messages = new ArrayList<>();
        List<SlotValue> chosen = new ArrayList<>();
        List<Object> tags = new ArrayList<>();
        int steps = queue.size();
        while (!queue.isEmpty()) {
            Queued q = queue.poll();
            StorageWrite w = q.ready().write();
            if (w.promised() != null) {
                promised = promised == null || w.promised().isHigherThan(promised) ? w.promised() : promised;
            }
            w.accepted().forEach(a -> accepted.put(a.slot(), a));
            w.chosen().forEach(c -> chosenWrites.put(c.slot(), c));
            compactedThrough = Math.max(compactedThrough, w.compactedThrough());
            messages.addAll(q.waiting());
            chosen.addAll(q.ready().chosen());
            if (q.tag() != null) {
                tags.add(q.tag());
            }
        }
        // a value written and compacted within the batch is stored and deleted in the same write (see PaxosStorage)
        StorageWrite write = promised == null && accepted.isEmpty() && chosenWrites.isEmpty() && compactedThrough == 0
                ? StorageWrite.NONE : new StorageWrite(promised, new ArrayList<>(accepted.values()),
                        new ArrayList<>(chosenWrites.values()), compactedThrough);
        return new Batch(write, merge(messages), chosen, tags, steps);
    }

    /** The batch's write is durable: its messages may leave, and heartbeats of its promised ballot may overtake. */
    public void written(Batch batch) {
        if (!writing) {
            throw new IllegalStateException("no batch is being written");
        }
        writing = false;
        Ballot p = batch.write().promised();
        if (p != null && p.isHigherThan(durablyPromised)) {
            durablyPromised = p;
        }
        noteDurable(batch.messages());
    }

    /** Accepts whose steps are durable: every slot below their first unchosen one is chosen on durable grounds. */
    private void noteDurable(List<PaxosMessage> messages) {
        for (PaxosMessage m : messages) {
            if (m instanceof Accept a) {
                durableFirstUnchosen = Math.max(durableFirstUnchosen, a.firstUnchosen());
            }
        }
    }

    /** The writer failed: the node must be recovered from storage, and this pipeline with it. */
    public void abandon() {
        writing = false;
        queue.clear();
    }

    /**
     * Merges the accepts of one ballot to one node into one accept (the latest {@code sentAt}: every part was
     * stamped before the merged message leaves, so the lease it dates still starts before the receiver accepts it),
     * their answers likewise, and chosen notices to one node. Each merged message keeps the place of its first part.
     */
    private List<PaxosMessage> merge(List<PaxosMessage> messages) {
        List<PaxosMessage> out = new ArrayList<>(messages.size());
        Map<List<Object>, Integer> at = new LinkedHashMap<>();
        for (PaxosMessage m : messages) {
            List<Object> key = key(m);
            Integer i = key == null ? null : at.get(key);
            PaxosMessage merged = i == null ? null : combine(out.get(i), m);
            if (merged != null) {
                out.set(i, merged);
            } else {
                if (key != null) {
                    at.put(key, out.size());
                }
                out.add(m);
            }
        }
        return out;
    }

    private static List<Object> key(PaxosMessage m) {
        if (m instanceof Accept a) {
            return List.of("Accept", a.from(), a.to(), a.ballot());
        } else if (m instanceof Accepted a) {
            return List.of("Accepted", a.from(), a.to(), a.ballot());
        } else if (m instanceof Chosen c) {
            return List.of("Chosen", c.from(), c.to());
        }
        return null;
    }

    /** The two as one message, or {@code null} if the result would exceed the batch size. */
    private PaxosMessage combine(PaxosMessage first, PaxosMessage second) {
        if (first instanceof Accept a && second instanceof Accept b) {
            List<SlotValue> entries = union(a.entries(), b.entries());
            return entries.size() > maxBatch ? null : new Accept(a.from(), a.to(), a.ballot(), entries,
                    Math.max(a.firstUnchosen(), b.firstUnchosen()), Math.max(a.sentAt(), b.sentAt()));
        }
        if (first instanceof Accepted a && second instanceof Accepted b) {
            List<Long> slots = new ArrayList<>(a.slots());
            b.slots().stream().filter(s -> !a.slots().contains(s)).forEach(slots::add);
            return slots.size() > maxBatch ? null : new Accepted(a.from(), a.to(), a.ballot(), slots,
                    Math.max(a.sentAt(), b.sentAt()), b.missingFrom());
        }
        if (first instanceof Chosen a && second instanceof Chosen b) {
            List<SlotValue> entries = union(a.entries(), b.entries());
            return entries.size() > maxBatch ? null : new Chosen(a.from(), a.to(), entries);
        }
        return null;
    }

    private static List<SlotValue> union(List<SlotValue> a, List<SlotValue> b) {
        Map<Long, SlotValue> bySlot = new LinkedHashMap<>();
        a.forEach(e -> bySlot.put(e.slot(), e));
        b.forEach(e -> bySlot.put(e.slot(), e));
        return new ArrayList<>(bySlot.values());
    }
}
