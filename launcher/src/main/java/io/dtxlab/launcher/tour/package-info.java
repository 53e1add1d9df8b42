/**
 * {@code ./dtx tour}: the README's stories (2PC, the blocking story, 3PC's two stories, Paxos failover, SYNC,
 * SEMI_SYNC, ASYNC and the lost-writes ledger, Dynamo's D1 to D4 and hinted handoff) told against the running
 * cluster. A {@link io.dtxlab.launcher.tour.Story} is a list of {@link io.dtxlab.launcher.tour.Step}s, each a
 * narration, an action (a request, a crash, a restart), what to keep from the answer and what to expect of it; the
 * stories themselves are data ({@code CommitStories}, {@code ReplicationStories}), and {@code TourRunner} tells them.
 */
package io.dtxlab.launcher.tour;
