package io.dtxlab.core.commit.coordinator;

import java.util.ArrayList;
import java.util.List;

/** Collects what one step asks for (records, messages, timers, the answer) and hands it out as a ready. */
final class Out {

    private final List<LogRecord> records = new ArrayList<>();
    private final List<BranchRequest> messages = new ArrayList<>();
    private final List<TimerRequest> timers = new ArrayList<>();
    private Outcome answer;

    void log(LogRecord record) {
        records.add(record);
    }

    void send(BranchRequest message) {
        messages.add(message);
    }

    void timer(TimerRequest.Kind kind, String participant, long afterMillis) {
        timers.add(new TimerRequest(kind, participant, afterMillis));
    }

    void answer(Outcome outcome) {
        answer = outcome;
    }

    CoordinatorReady ready() {
        if (records.isEmpty() && messages.isEmpty() && timers.isEmpty() && answer == null) {
            return CoordinatorReady.empty();
        }
        return new CoordinatorReady(records, messages, timers, answer);
    }
}
