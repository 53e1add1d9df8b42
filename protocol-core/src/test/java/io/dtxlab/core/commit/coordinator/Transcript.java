package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives one coordinator machine in a test as the edge would: every input stepped, its records handed to a list
 * standing for the log, its outbox kept as {@link #last}. Counts the logical messages (requests sent plus answers
 * fed back), the figure the protocol's message count is about.
 */
final class Transcript {

    static final List<String> THREE = List.of("order", "inventory", "payment");
    static final CoordinatorTiming TIMING = CoordinatorTiming.DEFAULTS;

    final TransactionCoordinator machine;
    final List<LogRecord> log = new ArrayList<>();
    final List<BranchRequest> sent = new ArrayList<>();
    CoordinatorReady.Outbox last;
    List<LogRecord> lastRecords;
    int answersFed;

    Transcript(TransactionCoordinator machine) {
        this.machine = machine;
    }

    static Transcript begin(io.dtxlab.core.commit.CommitProtocol protocol) {
        return new Transcript(Coordinators.begin("tx-1", protocol, THREE, TIMING, new Random(7)));
    }

    /** A saga whose steps {@code locked} take a semantic lock. */
    static Transcript sagaLocking(java.util.Set<String> locked) {
        return new Transcript(Coordinators.begin("tx-1", io.dtxlab.core.commit.CommitProtocol.SAGA, THREE, locked,
                TIMING, new Random(7)));
    }

    static Transcript recover(RecoveredTransaction logged) {
        return new Transcript(Coordinators.recover(logged, TIMING, new Random(7)));
    }

    Transcript step(CoordinatorInput input) {
        CoordinatorReady ready = machine.step(input);
        lastRecords = ready.records();
        last = ready.log(log::add);
        sent.addAll(last.messages());
        if (input instanceof CoordinatorInput.Voted || input instanceof CoordinatorInput.Acknowledged
                || input instanceof CoordinatorInput.BranchStateLearned || input instanceof CoordinatorInput.Busy) {
            answersFed++;
        }
        return this;
    }

    /** Feeds back, as chosen, every record the last step asked to log. */
    Transcript logged() {
        List<LogRecord> records = List.copyOf(lastRecords);
        for (LogRecord r : records) {
            step(new CoordinatorInput.Logged(r));
        }
        return this;
    }

    Transcript start() {
        return step(new CoordinatorInput.Start());
    }

    Transcript vote(String participant, Vote vote, String reason) {
        return step(new CoordinatorInput.Voted(participant, vote, reason));
    }

    Transcript ack(String participant, Phase phase) {
        return step(new CoordinatorInput.Acknowledged(participant, phase, true, null));
    }

    Transcript everyoneAcks(Phase phase) {
        THREE.forEach(p -> ack(p, phase));
        return this;
    }

    Transcript everyoneVotesYes() {
        THREE.forEach(p -> vote(p, Vote.YES, null));
        return this;
    }

    Transcript state(String participant, BranchState state) {
        return step(new CoordinatorInput.BranchStateLearned(participant, state));
    }

    List<BranchCommand> commands() {
        return last.messages().stream().map(BranchRequest::command).toList();
    }

    List<String> recipients() {
        return last.messages().stream().map(BranchRequest::participant).toList();
    }

    int messages() {
        return sent.size() + answersFed;
    }
}
