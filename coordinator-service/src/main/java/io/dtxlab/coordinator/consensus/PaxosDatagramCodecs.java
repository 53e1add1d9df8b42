package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.PaxosMessage;
import io.dtxlab.platform.messaging.PeerDatagrams;
import io.dtxlab.platform.messaging.PeerDatagrams.Codec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary forms of the Paxos messages that travel as datagrams: heartbeats (accepts with no entries), their
 * answers (accepteds), and refusals. Big-endian, in the order of each record's components:
 * <pre>{@code
 * Accept    from, to, ballot, firstUnchosen (8), sentAt (8)                 -- entries must be empty
 * Accepted  from, to, ballot, slots (count 2, then 8 each), sentAt (8), missingFrom (8)
 * Rejected  from, to, ballot, refusal (1, its ordinal), promised (ballot or absent), leaseHolder (string or absent)
 * ballot    round (8), node (string, never absent); an optional ballot is the byte 0 if absent, else 1 and the ballot
 * string    see PeerDatagrams.putString
 * }</pre>
 * An accept that carries entries is not a datagram's business: {@link Codec#write} refuses it, and it goes over HTTP
 * with the rest of the log traffic.
 */
final class PaxosDatagramCodecs {

    static final Codec<PaxosMessage.Accept> ACCEPT = new Codec<>() {
        @Override
        public void write(PaxosMessage.Accept accept, ByteBuffer out) {
            if (!accept.isHeartbeat()) {
                throw new IllegalArgumentException("an accept with entries is not a datagram");
            }
            addresses(accept, out);
            putBallot(out, accept.ballot());
            out.putLong(accept.firstUnchosen()).putLong(accept.sentAt());
        }

        @Override
        public PaxosMessage.Accept read(ByteBuffer in) {
            String from = required(in, "from");
            String to = required(in, "to");
            Ballot ballot = ballot(in);
            return new PaxosMessage.Accept(from, to, ballot, List.of(), in.getLong(), in.getLong());
        }
    };

    static final Codec<PaxosMessage.Accepted> ACCEPTED = new Codec<>() {
        @Override
        public void write(PaxosMessage.Accepted accepted, ByteBuffer out) {
            addresses(accepted, out);
            putBallot(out, accepted.ballot());
            List<Long> slots = accepted.slots();
            if (slots.size() > Short.MAX_VALUE) {
                throw new IllegalArgumentException(slots.size() + " slots");
            }
            out.putShort((short) slots.size());
            slots.forEach(out::putLong);
            out.putLong(accepted.sentAt()).putLong(accepted.missingFrom());
        }

        @Override
        public PaxosMessage.Accepted read(ByteBuffer in) {
            String from = required(in, "from");
            String to = required(in, "to");
            Ballot ballot = ballot(in);
            int count = in.getShort();
            if (count < 0) {
                throw new IllegalArgumentException("a negative slot count");
            }
            List<Long> slots = new ArrayList<>(Math.min(count, in.remaining() / Long.BYTES));
            for (int i = 0; i < count; i++) {
                slots.add(in.getLong());
            }
            return new PaxosMessage.Accepted(from, to, ballot, slots, in.getLong(), in.getLong());
        }
    };

    static final Codec<PaxosMessage.Rejected> REJECTED = new Codec<>() {
        private static final PaxosMessage.Refusal[] REFUSALS = PaxosMessage.Refusal.values();

        @Override
        public void write(PaxosMessage.Rejected rejected, ByteBuffer out) {
            addresses(rejected, out);
            putBallot(out, rejected.ballot());
            out.put((byte) rejected.refusal().ordinal());
            putOptionalBallot(out, rejected.promised());
            PeerDatagrams.putString(out, rejected.leaseHolder());
        }

        @Override
        public PaxosMessage.Rejected read(ByteBuffer in) {
            String from = required(in, "from");
            String to = required(in, "to");
            Ballot ballot = ballot(in);
            int refusal = in.get();
            if (refusal < 0 || refusal >= REFUSALS.length) {
                throw new IllegalArgumentException("no refusal numbered " + refusal);
            }
            Ballot promised = in.get() == 0 ? null : ballot(in);
            return new PaxosMessage.Rejected(from, to, ballot, REFUSALS[refusal], promised,
                    PeerDatagrams.getString(in));
        }
    };

    private PaxosDatagramCodecs() {
    }

    private static void addresses(PaxosMessage message, ByteBuffer out) {
        PeerDatagrams.putString(out, message.from());
        PeerDatagrams.putString(out, message.to());
    }

    private static void putBallot(ByteBuffer out, Ballot ballot) {
        out.putLong(ballot.round());
        PeerDatagrams.putString(out, ballot.node());
    }

    private static void putOptionalBallot(ByteBuffer out, Ballot ballot) {
        if (ballot == null) {
            out.put((byte) 0);
        } else {
            putBallot(out.put((byte) 1), ballot);
        }
    }

    private static Ballot ballot(ByteBuffer in) {
        long round = in.getLong();
        String node = PeerDatagrams.getString(in); // "" in Ballot.ZERO, an acceptor's promise before any
        if (node == null) {
            throw new IllegalArgumentException("a ballot with no node");
        }
        return new Ballot(round, node); // the constructor refuses a negative round
    }

    private static String required(ByteBuffer in, String what) {
        String value = PeerDatagrams.getString(in);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no " + what);
        }
        return value;
    }
}
