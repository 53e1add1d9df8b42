package io.dtxlab.replica.quorum;

import java.util.List;
import java.util.Map;

/**
 * A quorum read's answer: 200 with the one version, or 300 Multiple Choices with every sibling.
 *
 * @param key the key
 * @param value the value, when there is exactly one version
 * @param clock its vector clock, when there is exactly one version
 * @param siblings every version no other version covers, each with its clock, dot and past; more than one is a
 *        conflict for the client to resolve
 * @param context the context to write with: the merge of the siblings' clocks, so the write supersedes them all
 * @param coordinator the node that coordinated the read
 * @param n replicas per key
 * @param r answers waited for
 * @param answered the replicas whose answers were reconciled, in the order they answered
 * @param standIns stand-ins that answered, with the hints they hold, for owners that did not
 * @param failed replicas that had not answered, and how their message ended
 * @param messages messages sent to other replicas before the answer
 * @param latencyMs how long the read took at the coordinator
 * @param staleReadsPossible whether this read may have missed the last acknowledged write: R + W &le; N with the
 *        default W, or stand-ins answered for owners (sloppy quorum)
 * @param warning why, when it may
 */
record ReadAnswer(String key, String value, Map<String, Long> clock, List<VersionBody> siblings,
        Map<String, Long> context, String coordinator, int n, int r, List<String> answered, List<StandIn> standIns,
        Map<String, String> failed,
        int messages, long latencyMs, boolean staleReadsPossible, String warning) {

    boolean conflict() {
        return siblings.size() > 1;
    }
}
