package io.dtxlab.core.quorum;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One quorum request at its coordinator: a message to each of the key's N owners and, for every message that
 * fails, one to the next stand-in on the ring, which is to hold (or answer for) that owner's copy: Dynamo's sloppy
 * quorum. The round is {@link #decided()} once {@code required} (R or W) answered, or once too few messages are
 * left to get there.
 * <p>
 * Messages in ({@link #answer}, {@link #fail}), messages out ({@link #start}, and the stand-in {@link #fail}
 * returns). No threads, network or clock: the adapter sends, waits and times out. Thread-safe, since answers
 * arrive on many threads.
 */
public final class QuorumRound {

    /**
     * A message to send.
     *
     * @param node where to
     * @param hintFor null for an owner; for a stand-in, the owner it stands in for
     */
    public record Send(String node, String hintFor) {

        public boolean toStandIn() {
            return hintFor != null;
        }
    }

    private final List<String> owners;
    private final Deque<String> standIns;
    private final QuorumTally tally;
    private final Map<String, String> ownerOfStandIn = new LinkedHashMap<>();

    /**
     * @param owners the key's preference list: the N owners
     * @param standIns the nodes after them on the ring, in the order they stand in
     * @param required R for a read, W for a write
     */
    public QuorumRound(List<String> owners, List<String> standIns, int required) {
        if (required > owners.size()) {
            throw new IllegalArgumentException("a round over " + owners.size() + " owners cannot wait for "
                    + required + " answers");
        }
        this.owners = List.copyOf(owners);
        this.standIns = new ArrayDeque<>(standIns);
        this.tally = new QuorumTally(required);
    }

    /** The first messages: one to each owner. */
    public synchronized List<Send> start() {
        owners.forEach(tally::expect);
        return owners.stream().map(o -> new Send(o, null)).toList();
    }

    public synchronized void answer(String node) {
        tally.answer(node);
    }

    /**
     * A message failed. Returns the message to the next stand-in, if one is left, for the owner that {@code node}
     * was (or stood in for). The stand-in is expected before the failure counts, so the round is not given up
     * while it may still answer.
     */
    public synchronized Optional<Send> fail(String node, String reason) {
        Optional<Send> next = Optional.empty();
        if (!tally.answered().contains(node) && !tally.failed().containsKey(node) && !standIns.isEmpty()) {
            String owner = ownerOfStandIn.getOrDefault(node, node);
            String standIn = standIns.pollFirst();
            ownerOfStandIn.put(standIn, owner);
            tally.expect(standIn);
            next = Optional.of(new Send(standIn, owner));
        }
        tally.fail(node, reason);
        return next;
    }

    /** Whether R or W answered, or too few messages are left for that. */
    public synchronized boolean decided() {
        return tally.decided();
    }

    public synchronized boolean reached() {
        return tally.reached();
    }

    /** Whether every message sent so far was answered or failed. */
    public synchronized boolean settled() {
        return tally.outstanding() == 0;
    }

    public int required() {
        return tally.required();
    }

    /** The nodes that answered, owners and stand-ins, in the order they did. */
    public synchronized List<String> answered() {
        return tally.answered();
    }

    /** The nodes whose message failed, and why. */
    public synchronized Map<String, String> failed() {
        return tally.failed();
    }

    /** Whether {@code node} took part as a stand-in rather than as an owner. */
    public synchronized boolean isStandIn(String node) {
        return ownerOfStandIn.containsKey(node);
    }

    /** The stand-ins that answered, each with the owner it stood in for, in the order they answered. */
    public synchronized Map<String, String> standInsAnswered() {
        Map<String, String> answered = new LinkedHashMap<>();
        for (String node : new ArrayList<>(tally.answered())) {
            if (ownerOfStandIn.containsKey(node)) {
                answered.put(node, ownerOfStandIn.get(node));
            }
        }
        return answered;
    }
}
