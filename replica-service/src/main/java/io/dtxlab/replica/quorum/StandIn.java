package io.dtxlab.replica.quorum;

/**
 * A node that took a request for an owner of the key that did not answer (a sloppy quorum).
 *
 * @param node the stand-in: the next node on the ring after the key's N owners
 * @param owner the owner it stands in for; a write waits there as a hint until the hinted handoff
 */
record StandIn(String node, String owner) {

    /** From the core round's stand-ins that answered: stand-in to owner. */
    static java.util.List<StandIn> of(java.util.Map<String, String> standInToOwner) {
        return standInToOwner.entrySet().stream().map(e -> new StandIn(e.getKey(), e.getValue())).toList();
    }
}
