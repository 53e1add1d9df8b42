package io.dtxlab.coordinator;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the coordinator runs transactions ({@code dtx.coordinator.*}).
 *
 * @param prepareTimeout how long phase 1 waits for every vote; a missing vote then counts as NO
 * @param answerWithin how long the caller waits for phase 2 after the decision before it is answered anyway (the
 *        decision is already durable; phase 2 goes on)
 * @param retryInitialBackoff the first pause before phase 2 resends to a participant that did not acknowledge
 * @param retryMaxBackoff the longest pause between resends; phase 2 resends until acknowledged
 * @param messageTimeout how long a phase-2 message waits for its acknowledgement
 * @param keepRecent how many finished NONE transactions this coordinator keeps in memory with their full timeline
 *        (about 10 KB each, so the default takes at most about 20 MB of a node's 192 MB heap). NONE logs nothing, so
 *        this is all that knows them: a begin of the same xid retried after this many later NONE transactions would
 *        run it again. A logged transaction (2PC, 3PC, TCC, saga) leaves memory once its timeline is in the H2 file,
 *        but for the newest 100; this is also the most of them kept while the file takes none (another 20 MB at
 *        most)
 * @param timelinesKept how many run timelines this coordinator keeps in its H2 file (a few KB each: the most recent
 *        runs it ended or left to the next leader); each batch of new ones deletes those it pushed past the
 *        limit, in the same local transaction
 * @param requestsInFlight the most batch requests to one participant, and the most appends to the transaction log,
 *        that may wait for their answer at once; messages and records that come meanwhile wait and leave together in
 *        the next request or consensus round as soon as one is answered (natural batching: no delay while the other
 *        side keeps up, bigger batches when it does not)
 * @param lockWait how long a saga's locking step answered busy (what it needs is held by other transactions'
 *        semantic locks) is tried again before it counts as failed and the saga goes back; with the step timeout
 *        it stays well within the 15 s the order service waits for an answer before it says PENDING
 */
@Validated
@ConfigurationProperties("dtx.coordinator")
public record CoordinatorProperties(
        @NotNull @DefaultValue("2s") Duration prepareTimeout,
        @NotNull @DefaultValue("2s") Duration answerWithin,
        @NotNull @DefaultValue("100ms") Duration retryInitialBackoff,
        @NotNull @DefaultValue("5s") Duration retryMaxBackoff,
        @NotNull @DefaultValue("3s") Duration messageTimeout,
        @DefaultValue("2000") int keepRecent,
        @Min(1) @DefaultValue("100000") int timelinesKept,
        @Min(1) @DefaultValue("2") int requestsInFlight,
        @NotNull @DefaultValue("5s") Duration lockWait) {
}
