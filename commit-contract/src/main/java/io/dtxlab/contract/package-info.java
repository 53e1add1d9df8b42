/**
 * The wire contract of atomic commitment, one copy for every side: what a coordinator sends a participant
 * ({@link io.dtxlab.contract.BranchMessage}, singly or in a {@link io.dtxlab.contract.BranchBatch}) and what it
 * answers ({@link io.dtxlab.contract.BranchReply}); what the order service sends a coordinator
 * ({@link io.dtxlab.contract.BeginTransaction}) and what it answers ({@link io.dtxlab.contract.TransactionAnswer});
 * the paths ({@link io.dtxlab.contract.CommitPaths}); and the problem a follower answers with
 * ({@link io.dtxlab.contract.NotLeaderProblem}).
 */
package io.dtxlab.contract;
