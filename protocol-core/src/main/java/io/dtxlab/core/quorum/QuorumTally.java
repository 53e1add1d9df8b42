package io.dtxlab.core.quorum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the answers of one quorum round (the acks of a write, the answers of a read) and says when the round is
 * decided: {@link #reached()} once {@code required} replicas answered, {@link #hopeless()} once too few are left
 * to get there. The adapter calls {@link #expect} for each message it sends, before it reports the failure of the
 * message a stand-in replaces, so a round is never given up while a stand-in may still answer.
 * Thread-safe: answers arrive on many threads.
 */
public final class QuorumTally {

    private final int required;
    private final Set<String> expected = new LinkedHashSet<>();
    private final List<String> answered = new ArrayList<>();
    private final Map<String, String> failed = new LinkedHashMap<>();

    public QuorumTally(int required) {
        if (required < 1) {
            throw new IllegalArgumentException("a quorum needs at least one answer, was " + required);
        }
        this.required = required;
    }

    public synchronized void expect(String node) {
        expected.add(node);
    }

    /** Records an answer; returns whether this answer decided the round. */
    public synchronized boolean answer(String node) {
        boolean before = decided();
        if (expected.contains(node) && !answered.contains(node) && !failed.containsKey(node)) {
            answered.add(node);
        }
        return !before && decided();
    }

    /** Records that a node did not answer, and why; returns whether this decided the round. */
    public synchronized boolean fail(String node, String reason) {
        boolean before = decided();
        if (expected.contains(node) && !answered.contains(node)) {
            failed.putIfAbsent(node, reason);
        }
        return !before && decided();
    }

    public synchronized boolean reached() {
        return answered.size() >= required;
    }

    public synchronized boolean hopeless() {
        return !reached() && answered.size() + outstanding() < required;
    }

    public synchronized boolean decided() {
        return reached() || hopeless();
    }

    public synchronized int outstanding() {
        return expected.size() - answered.size() - failed.size();
    }

    public int required() {
        return required;
    }

    /** The nodes that answered, in the order they did. */
    public synchronized List<String> answered() {
        return List.copyOf(answered);
    }

    /** The nodes that did not answer, and why. */
    public synchronized Map<String, String> failed() {
        return Map.copyOf(failed);
    }
}
