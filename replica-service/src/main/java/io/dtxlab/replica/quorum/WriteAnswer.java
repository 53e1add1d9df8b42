package io.dtxlab.replica.quorum;

import java.util.List;
import java.util.Map;

/**
 * A quorum write's answer: W replicas had the version on disk.
 *
 * @param key the key
 * @param clock the new version's vector clock: the context with the coordinator's entry raised to the dot
 * @param dot the write's dot: the coordinator and its counter for the key, above every one it gave the key before
 * @param context the context to write with next without reading first: the clock, or only the client's context
 *        when another write through the same node came in between (the next write must not drop it unseen)
 * @param coordinator the node that coordinated the write
 * @param n replicas per key
 * @param w acknowledgements waited for
 * @param acks the replicas that acknowledged before the answer (stand-ins included), in the order they did
 * @param standIns stand-ins that took the write, with a hint, for an owner that did not answer
 * @param failed owners that did not answer, and how their message ended
 * @param messages messages sent to other replicas before the answer (the rest of the N are still in flight)
 * @param latencyMs how long the write took at the coordinator
 * @param staleReadsPossible whether a read with the default R may miss this write: R + W &le; N, or stand-ins
 *        took it for owners (sloppy quorum)
 * @param warning why, when it may
 */
record WriteAnswer(String key, Map<String, Long> clock, io.dtxlab.core.quorum.Dot dot, Map<String, Long> context,
        String coordinator, int n, int w, List<String> acks,
        List<StandIn> standIns, Map<String, String> failed, int messages, long latencyMs, boolean staleReadsPossible,
        String warning) {
}
