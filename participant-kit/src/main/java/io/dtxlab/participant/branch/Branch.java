package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/** One global transaction's branch at this participant, as stored. */
@Entity
@Table(name = "branch")
class Branch {

    @Id
    private String xid;

    private String protocol;

    @Enumerated(EnumType.STRING)
    private BranchState state;

    private String payload;
    private String coordinator;
    private long epoch;
    private String reason;

    @Column(name = "empty_rollback")
    private boolean emptyRollback;

    @Column(name = "prepared_at")
    private Instant preparedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    private Long version;

    protected Branch() {
    }

    Branch(String xid, String protocol, String coordinator, long epoch, String payload) {
        this.xid = xid;
        this.protocol = protocol;
        this.coordinator = coordinator;
        this.epoch = epoch;
        this.payload = payload;
    }

    /** A branch as read from its row ({@link BranchRows}). */
    static Branch restored(String xid, String protocol, BranchState state, String payload, String coordinator,
            long epoch, String reason, boolean emptyRollback, Instant preparedAt, Instant endedAt, Instant updatedAt,
            long version) {
        Branch b = new Branch(xid, protocol, coordinator, epoch, payload);
        b.state = state;
        b.reason = reason;
        b.emptyRollback = emptyRollback;
        b.preparedAt = preparedAt;
        b.endedAt = endedAt;
        b.updatedAt = updatedAt;
        b.version = version;
        return b;
    }

    /** Holds its reservation now: PREPARED (2PC) or PRE_COMMITTED (3PC). */
    void reserved(BranchState holding, Instant at) {
        state = holding;
        preparedAt = at;
        updatedAt = at;
    }

    /** 3PC: answered YES to can-commit, holding nothing. */
    void voted(Instant at) {
        state = BranchState.VOTED;
        updatedAt = at;
    }

    void ended(BranchState finalState, String why, Instant at) {
        state = finalState;
        reason = why;
        endedAt = at;
        updatedAt = at;
    }

    void emptyRollback(String why, Instant at) {
        emptyRollback = true;
        ended(BranchState.ABORTED, why, at);
    }

    /** A later message from a newer coordinator epoch (after a failover or restart) now owns the branch. */
    void seenFrom(String by, long newEpoch) {
        if (newEpoch > epoch) {
            coordinator = by;
            epoch = newEpoch;
        }
    }

    String xid() {
        return xid;
    }

    BranchState state() {
        return state;
    }

    String payload() {
        return payload;
    }

    String coordinator() {
        return coordinator;
    }

    Instant preparedAt() {
        return preparedAt;
    }

    String protocol() {
        return protocol;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    long epoch() {
        return epoch;
    }

    String reason() {
        return reason;
    }

    boolean isEmptyRollback() {
        return emptyRollback;
    }

    Instant endedAt() {
        return endedAt;
    }

    /** The row's version: null until the branch is first written. */
    Long version() {
        return version;
    }

    void written(long newVersion) {
        version = newVersion;
    }

    BranchView view(String participant, Instant now) {
        boolean inDoubt = !state.isFinal();
        return new BranchView(xid, participant, protocol, state, inDoubt,
                inDoubt ? Duration.between(updatedAt, now).toMillis() : null,
                coordinator, epoch, preparedAt, endedAt, reason, emptyRollback, payload);
    }
}
