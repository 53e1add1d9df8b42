package io.dtxlab.core.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.paxos.PaxosMessage.Accept;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline keeps the {@link Ready} order for what claims durable state, and lets heartbeats overtake writes.
 */
class PersistPipelineTest {

    private final Ballot ballot = new Ballot(1, "n1");
    private final PersistPipeline pipeline = new PersistPipeline(ballot, 256);

    /** A leader's step that accepted and decided {@code slot} itself: a write to wait for. */
    private Ready decided(long slot) {
        Value v = Value.of("v" + slot);
        StorageWrite write = new StorageWrite(null, List.of(new AcceptedValue(slot, ballot, v)),
                List.of(new SlotValue(slot, v)));
        return new Ready(write, List.of(), List.of(new SlotValue(slot, v)), List.of());
    }

    private Ready heartbeat(long firstUnchosen, long sentAt) {
        return new Ready(StorageWrite.NONE, List.of(new Accept("n1", "n2", ballot, List.of(), firstUnchosen, sentAt)),
                List.of(), List.of());
    }

    @Test
    void aHeartbeatThatOvertakesQueuedWritesReportsOnlyWhatIsDurableChosenAndGoesAgainInFullWithItsBatch() {
        // given the leader's decision of slot 1 waits for the disk
        pipeline.offer(decided(1), null);
        // when a heartbeat that reports slot 1 chosen (first unchosen slot 2) follows it
        PersistPipeline.Offer offer = pipeline.offer(heartbeat(2, 100), null);
        // then it leaves at once (the lease must not wait for the disk) but reports nothing beyond what is durable
        assertThat(offer.now()).singleElement().isInstanceOfSatisfying(Accept.class, a -> {
            assertThat(a.firstUnchosen()).isEqualTo(1);
            assertThat(a.sentAt()).isEqualTo(100);
        });
        // and it goes again, in full, once the decision is durable
        PersistPipeline.Batch batch = pipeline.next();
        assertThat(batch.messages()).singleElement()
                .isInstanceOfSatisfying(Accept.class, a -> assertThat(a.firstUnchosen()).isEqualTo(2));
        pipeline.written(batch);
        // and from then on an overtaking heartbeat reports slot 1 chosen
        pipeline.offer(decided(2), null);
        assertThat(pipeline.offer(heartbeat(3, 200), null).now()).singleElement()
                .isInstanceOfSatisfying(Accept.class, a -> assertThat(a.firstUnchosen()).isEqualTo(2));
    }
}
