package io.dtxlab.replica.quorum;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A quorum write.
 *
 * @param value the value to store
 * @param context the {@code context} of an earlier read of this key: the write supersedes every version it covers.
 *        Without it, the write is concurrent with every version this coordinator did not write, and joins them
 *        as a sibling
 */
record WriteRequest(@NotNull @Size(max = 16384) String value, Map<String, Long> context) {
}
