package io.dtxlab.contract;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Several transactions' messages to one participant in one request ({@link CommitPaths#BATCH}). Each message is
 * handled on its own, exactly as if it had come alone: batching changes how many requests carry the protocol,
 * never the protocol's logical messages.
 */
public record BranchBatch(@NotEmpty @Size(max = BranchBatch.MAX) List<@Valid BranchMessage> messages) {

    /** The most messages one batch may carry. */
    public static final int MAX = 512;
}
