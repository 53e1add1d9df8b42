package io.dtxlab.contract;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** What the typed clients do with every batch they send: name its scope, and check that each item got an answer. */
final class Batches {

    private Batches() {
    }

    /** The scope a batch's request is logged under: its one item's xid, or none when it carries several. */
    static <T> String scope(List<T> items, Function<T, String> xid) {
        return items.size() == 1 ? xid.apply(items.get(0)) : null;
    }

    /**
     * {@code reply}, if it holds one answer per item sent.
     *
     * @throws CompletionException (an {@link IllegalStateException}) if it holds more or fewer
     */
    static <R> R oneAnswerEach(String peer, R reply, List<?> answers, int sent) {
        int answered = answers == null ? 0 : answers.size();
        if (answered != sent) {
            throw new CompletionException(new IllegalStateException(peer + " answered " + answered
                    + " items to a batch of " + sent));
        }
        return reply;
    }
}
