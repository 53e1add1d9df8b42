package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * No atomic commitment ({@code NONE}): Start sends APPLY to every participant (phase APPLY) and sets the APPLIES
 * timer; the answers, losses and the timer feed an {@link ApplyRound}, whose outcome (COMMIT, ABORT or PARTIAL) is
 * the answer. Nothing is logged and nothing is resent or undone. Failure-free it costs 2n messages.
 */
final class ApplyCoordinator implements TransactionCoordinator {

    private final ApplyRound applies;
    private final CoordinatorTiming timing;
    private boolean started;
    private boolean ended;

    ApplyCoordinator(String xid, List<String> participants, CoordinatorTiming timing) {
        this.applies = new ApplyRound(Objects.requireNonNull(xid, "xid"), participants);
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    @Override
    public String xid() {
        return applies.xid();
    }

    @Override
    public CommitProtocol protocol() {
        return CommitProtocol.NONE;
    }

    @Override
    public CoordinatorReady step(CoordinatorInput input) {
        Objects.requireNonNull(input, "input");
        if (ended) {
            return CoordinatorReady.empty();
        }
        Out out = new Out();
        if (input instanceof CoordinatorInput.Start) {
            if (!started) {
                started = true;
                for (String p : applies.participants()) {
                    out.send(new BranchRequest(p, BranchCommand.APPLY, Phase.APPLY, null, 1));
                }
                out.timer(TimerRequest.Kind.APPLIES, null, timing.voteTimeout());
            }
        } else if (started) {
            answered(input, out);
        }
        return out.ready();
    }

    private void answered(CoordinatorInput input, Out out) {
        if (input instanceof CoordinatorInput.Acknowledged ack && ack.phase() == Phase.APPLY && known(ack.participant())) {
            settle(ack.ok() ? applies.onApplied(ack.participant())
                    : applies.onRefused(ack.participant(), ack.reason()), out);
        } else if (input instanceof CoordinatorInput.Lost lost && lost.phase() == Phase.APPLY
                && known(lost.participant())) {
            settle(applies.onLost(lost.participant(), lost.why()), out);
        } else if (input instanceof CoordinatorInput.Refused refused && refused.phase() == Phase.APPLY
                && known(refused.participant())) {
            settle(applies.onLost(refused.participant(), refused.why()), out);
        } else if (input instanceof CoordinatorInput.TimerFired timer && timer.kind() == TimerRequest.Kind.APPLIES) {
            settle(applies.onTimeout("the apply timeout (" + timing.voteTimeout() + " ms)"), out);
        }
    }

    private void settle(java.util.Optional<ApplyRound.Outcome> outcome, Out out) {
        outcome.ifPresent(o -> {
            ended = true;
            out.answer(new Outcome(o.name(), applies.reason()));
        });
    }

    private boolean known(String participant) {
        return participant != null && applies.participants().contains(participant);
    }

    @Override
    public CoordinatorStatus status() {
        return new CoordinatorStatus(applies.xid(), CommitProtocol.NONE, Phase.APPLY, Map.of(), List.of(), null,
                applies.reason(), List.of(), ended, applies.outcome().orElse(null));
    }
}
