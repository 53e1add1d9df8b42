package io.dtxlab.coordinator.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.PaxosMessage;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.Value;
import io.dtxlab.platform.messaging.PeerDatagrams;
import io.dtxlab.platform.messaging.PeerDatagrams.Codec;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heartbeats, their answers and refusals read back exactly as written; what a datagram must not carry, it refuses. */
class PaxosDatagramCodecsTest {

    private static final Ballot BALLOT = new Ballot(1003, "coordinator-3");

    @Test
    void aHeartbeatItsAnswersAndARefusalReadBackAsWritten() {
        roundTrip(PaxosDatagramCodecs.ACCEPT,
                new PaxosMessage.Accept("coordinator-3", "coordinator-1", BALLOT, List.of(), 41_234, 987_654_321));
        roundTrip(PaxosDatagramCodecs.ACCEPTED,
                new PaxosMessage.Accepted("coordinator-1", "coordinator-3", BALLOT, List.of(), 987_654_321, 0));
        roundTrip(PaxosDatagramCodecs.ACCEPTED,
                new PaxosMessage.Accepted("coordinator-1", "coordinator-3", BALLOT, List.of(7L, 8L, 9L), 5, 41_200));
        roundTrip(PaxosDatagramCodecs.REJECTED, new PaxosMessage.Rejected("coordinator-1", "coordinator-2", BALLOT,
                PaxosMessage.Refusal.OUTDATED_BALLOT, new Ballot(1004, "coordinator-1"), null));
        roundTrip(PaxosDatagramCodecs.REJECTED, new PaxosMessage.Rejected("coordinator-1", "coordinator-2", BALLOT,
                PaxosMessage.Refusal.INSIDE_LEASE, Ballot.ZERO, "coordinator-3"));
        roundTrip(PaxosDatagramCodecs.REJECTED, new PaxosMessage.Rejected("coordinator-1", "coordinator-2", BALLOT,
                PaxosMessage.Refusal.RESTARTING, null, null));
    }

    @Test
    void anAcceptWithEntriesIsNotADatagram() {
        var accept = new PaxosMessage.Accept("coordinator-3", "coordinator-1", BALLOT,
                List.of(new SlotValue(5, Value.NOOP)), 5, 1);

        assertThatThrownBy(() -> PaxosDatagramCodecs.ACCEPT.write(accept, ByteBuffer.allocate(PeerDatagrams.MAX_BYTES)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesThatAreNoSuchMessageAreRefused() {
        ByteBuffer noSender = ByteBuffer.allocate(64);
        PeerDatagrams.putString(noSender, null);
        assertThatThrownBy(() -> PaxosDatagramCodecs.ACCEPT.read(noSender.flip()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");

        ByteBuffer cut = write(PaxosDatagramCodecs.ACCEPT,
                new PaxosMessage.Accept("coordinator-3", "coordinator-1", BALLOT, List.of(), 1, 2));
        cut.limit(cut.limit() - 3);
        assertThatThrownBy(() -> PaxosDatagramCodecs.ACCEPT.read(cut)).isInstanceOf(RuntimeException.class);

        ByteBuffer badRefusal = write(PaxosDatagramCodecs.REJECTED, new PaxosMessage.Rejected("coordinator-1",
                "coordinator-2", BALLOT, PaxosMessage.Refusal.RESTARTING, null, null));
        int refusalAt = 2 + "coordinator-1".length() + 2 + "coordinator-2".length() + 8 + 2 + "coordinator-3".length();
        badRefusal.put(refusalAt, (byte) 9);
        assertThatThrownBy(() -> PaxosDatagramCodecs.REJECTED.read(badRefusal))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusal");
    }

    private static <T> void roundTrip(Codec<T> codec, T message) {
        ByteBuffer bytes = write(codec, message);
        assertThat(codec.read(bytes)).isEqualTo(message);
        assertThat(bytes.hasRemaining()).as("every byte read").isFalse();
    }

    private static <T> ByteBuffer write(Codec<T> codec, T message) {
        ByteBuffer out = ByteBuffer.allocate(PeerDatagrams.MAX_BYTES);
        codec.write(message, out);
        return out.flip();
    }
}
