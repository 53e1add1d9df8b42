package io.dtxlab.core.commit.coordinator;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The output of one {@link TransactionCoordinator#step}: records to log, then messages to send, timers to set and
 * the client's answer. The types keep the order: the outbox only comes out of {@link #log}, after every record has
 * been handed to the log. A message never depends on a record of the same step: the machine sends what a record
 * makes safe only after the record comes back as {@link CoordinatorInput.Logged}.
 *
 * <pre>{@code
 * CoordinatorReady.Outbox out = coordinator.step(input).log(transactionLog::append);
 * out.messages().forEach(transport::send);
 * }</pre>
 */
public final class CoordinatorReady {

    private static final CoordinatorReady EMPTY = new CoordinatorReady(List.of(), List.of(), List.of(), null);

    private final List<LogRecord> records;
    private final Outbox outbox;

    public CoordinatorReady(List<LogRecord> records, List<BranchRequest> messages, List<TimerRequest> timers,
            Outcome answer) {
        this.records = List.copyOf(records);
        this.outbox = new Outbox(List.copyOf(messages), List.copyOf(timers), Optional.ofNullable(answer));
    }

    /** Nothing to do: the input changed nothing. */
    public static CoordinatorReady empty() {
        return EMPTY;
    }

    /** Hands each record to {@code log} (which makes it durable, now or later), then gives out what may be sent. */
    public Outbox log(Consumer<LogRecord> log) {
        records.forEach(log);
        return outbox;
    }

    /** What this step asks to log (for logs and tests; logging it is {@link #log}'s job). */
    public List<LogRecord> records() {
        return records;
    }

    public boolean isEmpty() {
        return records.isEmpty() && outbox.messages().isEmpty() && outbox.timers().isEmpty()
                && outbox.answer().isEmpty();
    }

    /**
     * What may leave once the records are handed to the log.
     *
     * @param messages messages to participants
     * @param timers timers to set
     * @param answer the client's answer, once: when every participant acknowledged the decision (or, for NONE,
     *               answered the apply)
     */
    public record Outbox(List<BranchRequest> messages, List<TimerRequest> timers, Optional<Outcome> answer) {
    }
}
