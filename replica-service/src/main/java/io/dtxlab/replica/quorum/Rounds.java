package io.dtxlab.replica.quorum;

import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.messaging.ClusterCallException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What reads and writes share about a round of messages to replicas. */
final class Rounds {

    private Rounds() {
    }

    /** Waits for {@code done} to complete; false when time ran out first. */
    static boolean await(CompletableFuture<Void> done, long millis) {
        try {
            done.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return done.isDone();
        }
    }

    /** How a message to a replica ended, in one word for answers and logs: UNREACHABLE, TIMEOUT, PARTITIONED... */
    static String describe(Throwable error) {
        Throwable cause = Futures.cause(error);
        if (cause instanceof ClusterCallException call) {
            return call.outcome().name();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
