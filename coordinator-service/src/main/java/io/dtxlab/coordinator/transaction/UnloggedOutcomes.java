package io.dtxlab.coordinator.transaction;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What this coordinator remembers of the transactions the log does not hold (NONE logs nothing): their
 * participants and outcome, for the audit. Memory only: gone after a restart, and only the most recent
 * {@code dtx.coordinator.keep-recent}.
 */
@Component
public class UnloggedOutcomes {

    /**
     * @param participants the branches it had
     * @param outcome COMMIT, ABORT or PARTIAL; null while the apply answers are still coming
     * @param reason what was applied and kept, and what was refused
     */
    public record Outcome(String xid, String protocol, List<String> participants, String outcome, String reason) {
    }

    private final Transactions transactions;

    UnloggedOutcomes(Transactions transactions) {
        this.transactions = transactions;
    }

    public Optional<Outcome> find(String xid) {
        TransactionRun run = transactions.find(xid);
        if (run == null || run.protocol().isAtomic()) {
            return Optional.empty();
        }
        TransactionView view = run.view();
        return Optional.of(new Outcome(xid, view.protocol(),
                view.participants().stream().map(TransactionView.ParticipantView::participant).toList(),
                view.decision(), view.reason()));
    }
}
