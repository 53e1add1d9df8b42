package io.dtxlab.participant.resource;

import java.time.Instant;

/**
 * A branch a participant expects although no coordinator may ever send it: the entry participant's own branch of a
 * transaction whose begin may never have reached a coordinator (the order service's, for an order answered 202). If
 * it has not arrived within {@code dtx.participant.branch-expected-within}, the participant asks the coordinator and
 * refuses it (an empty rollback with the payload, so the resource records the outcome), which it may always do
 * before it voted: a later prepare of it is then refused, and the transaction cannot commit.
 *
 * @param xid the global transaction
 * @param protocol 2PC, 3PC, TCC, SAGA or NONE
 * @param payload what the coordinator would carry for this participant
 * @param since when it became expected (the clock of {@code branch-expected-within})
 */
public record ExpectedBranch<P>(String xid, String protocol, P payload, Instant since) {
}
