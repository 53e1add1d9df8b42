package io.dtxlab.replica.quorum;

import java.util.List;

/**
 * What one replica holds of a key, without asking any other: for looking at replicas one by one.
 *
 * @param node this replica
 * @param key the key
 * @param versions its siblings of the key (empty: it holds none)
 * @param hints versions it holds as a stand-in for the key's owners that were down
 */
record LocalView(String node, String key, List<VersionBody> versions, List<HintView> hints) {

    /**
     * @param owner the owner the hint waits for
     * @param value the value
     * @param clock its clock
     * @param dot the write that made it (absent for a version written before dots)
     * @param past what its writer had seen
     */
    record HintView(String owner, String value, java.util.Map<String, Long> clock, io.dtxlab.core.quorum.Dot dot,
            java.util.Map<String, Long> past) {
    }
}
