package io.dtxlab.platform.concurrent;

import java.util.concurrent.CompletionException;

/** What the completion stages of an asynchronous call hand their callbacks. */
public final class Futures {

    private Futures() {
    }

    /**
     * The failure itself: a dependent stage's callback sees it wrapped in a {@link CompletionException}, the first
     * stage's sees it bare.
     */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
