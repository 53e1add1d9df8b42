package io.dtxlab.contract;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Several transactions' messages to one participant in one request ({@code POST} {@link CommitPaths#BATCH}). Each
 * message is handled on its own, in order, exactly as if it had come alone: batching changes how many requests carry
 * the protocol, never the protocol's logical messages. A batch with any invalid message is refused whole (400),
 * before any message is handled. JSON: {@code {"messages":[{"xid":"tx-1","command":"PREPARE",
 * "coordinator":"coordinator-1","epoch":1001,"protocol":"2PC","payload":{…},"reason":null}, …]}}.
 *
 * @param messages 1 to {@value #MAX} messages, possibly for different transactions
 */
public record BranchBatch(@NotEmpty @Size(max = BranchBatch.MAX) List<@NotNull @Valid BranchMessage> messages) {

    /** The most messages one batch may carry. */
    public static final int MAX = 512;
}
