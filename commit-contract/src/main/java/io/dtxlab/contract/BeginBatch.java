package io.dtxlab.contract;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Several global transactions begun in one request ({@code POST} {@link CommitPaths#TRANSACTIONS_BATCH}). Each runs
 * exactly as if it had been begun alone; batching changes how many requests carry the begins, never the protocol's
 * messages. A batch with any invalid begin is refused whole (400) before any is begun. JSON:
 * {@code {"transactions":[{"xid":"tx-1","protocol":"2PC","branches":[…]}, …]}}.
 *
 * @param transactions 1 to {@value #MAX} begins, each with its own xid
 */
public record BeginBatch(@NotEmpty @Size(max = BeginBatch.MAX) List<@NotNull @Valid BeginTransaction> transactions) {

    /** The most begins one batch may carry. */
    public static final int MAX = 512;
}
