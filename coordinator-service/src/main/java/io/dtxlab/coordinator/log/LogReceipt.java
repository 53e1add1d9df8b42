package io.dtxlab.coordinator.log;

/**
 * What making one record durable cost.
 *
 * @param slot the Paxos log slot it was chosen in
 * @param roundMessages the Paxos messages of the consensus round that carried it (accept, accepted, chosen), kept
 *        apart from the participant messages; the round carried {@code roundRecords} records in all
 * @param roundRecords how many records (of any transactions) shared that round: the group commit's batch
 * @param millis how long it took to be chosen and applied
 * @param decision for DECISION: the decision that counts (the first chosen); else null
 */
public record LogReceipt(long slot, int roundMessages, int roundRecords, long millis, String decision) {

    /** This record's share of the round's consensus messages. */
    public double consensusMessages() {
        return roundRecords == 0 ? 0 : (double) roundMessages / roundRecords;
    }

    public String describe() {
        return "chosen in slot " + slot + " by a majority in " + millis + " ms; its consensus round carried "
                + roundRecords + (roundRecords == 1 ? " record" : " records") + " in " + roundMessages + " messages";
    }
}
