package io.dtxlab.coordinator.log;

/**
 * What making one record durable cost.
 *
 * @param slot the Paxos log slot it was chosen in; null for a local write
 * @param consensusMessages the Paxos messages that carried it (accept, accepted, chosen), kept apart from the
 *        participant messages
 * @param millis how long it took to be chosen
 * @param decision for DECISION: the decision that counts (the first chosen)
 */
public record LogReceipt(Long slot, int consensusMessages, long millis, String decision) {

    public static LogReceipt local(String decision) {
        return new LogReceipt(null, 0, 0, decision);
    }

    public String describe() {
        return slot == null ? "in the local log"
                : "chosen in slot " + slot + " by a majority: " + consensusMessages + " consensus messages, " + millis + " ms";
    }
}
