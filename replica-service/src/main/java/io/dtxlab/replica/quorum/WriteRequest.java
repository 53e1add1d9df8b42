package io.dtxlab.replica.quorum;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A quorum write.
 *
 * @param value the value to store
 * @param context the {@code context} of an earlier read of this key (or of this client's last write answer), node to
 *        counter: the write supersedes exactly the versions whose dot it holds. Without it, the write drops nothing
 *        and joins the stored versions as a sibling. Checked before anything is written: known replicas only,
 *        counters from 0 to 2^62, and the coordinator's own counter not above what it gave the key
 */
record WriteRequest(@NotNull @Size(max = 16384) String value, Map<String, Long> context) {
}
