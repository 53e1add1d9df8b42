package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import jakarta.persistence.QueryHint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hibernate.jpa.HibernateHints;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import org.springframework.data.repository.Repository;

/**
 * The branch table's queries (recovery, audit, {@code GET /branches}); a message reads and writes its branch through
 * {@link BranchRows}.
 */
interface BranchRepository extends Repository<Branch, String> {

    Optional<Branch> findById(String xid);

    List<Branch> findAllByOrderByUpdatedAtDesc(Limit limit);

    /** The audit's compact projection, newest first (a constructor expression: no entity, no payload). */
    List<BranchSummary> findByOrderByUpdatedAtDesc(Limit limit);

    List<Branch> findAllByStateOrderByUpdatedAtDesc(BranchState state, Limit limit);

    List<Branch> findAllByStateAndPreparedAtBeforeOrderByPreparedAtAsc(BranchState state, Instant before, Limit limit);

    List<Branch> findAllByStateInAndUpdatedAtBeforeOrderByUpdatedAtAsc(List<BranchState> states, Instant before,
            Limit limit);

    /**
     * Every branch's xid, state and payload, in no particular order, read as the stream is consumed (inside a
     * transaction; close it): what the participant's audit checks its invariants against.
     */
    @QueryHints(@QueryHint(name = HibernateHints.HINT_FETCH_SIZE, value = "500"))
    Stream<BranchPayload> streamAllBy();

    /** How many branches are in one state. */
    record StateCount(BranchState state, long branches) {
    }

    /** How many branches are in each state that has any. */
    @Query("select new io.dtxlab.participant.branch.BranchRepository$StateCount(b.state, count(b)) from Branch b "
            + "group by b.state")
    List<StateCount> countByState();

    /** The branches in {@code states}, reduced to what {@link WaitingBranches} keeps (read once, at start). */
    List<BranchWaiting> findByStateIn(List<BranchState> states);
}
