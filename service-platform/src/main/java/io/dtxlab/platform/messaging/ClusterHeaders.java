package io.dtxlab.platform.messaging;

/** Headers every message between our nodes carries. */
public final class ClusterHeaders {

    /** The sending node's id. */
    public static final String FROM = "X-Dtx-From";
    /** The protocol's name for the message. */
    public static final String KIND = "X-Dtx-Kind";
    /** The transaction id or key the message is about. */
    public static final String SCOPE = "X-Dtx-Scope";
    /** Set on a refusal because of a partition, so the sender records PARTITIONED, not FAILED. */
    public static final String PARTITIONED = "X-Dtx-Partitioned";
    /** The answering node's id. */
    public static final String NODE = "X-Dtx-Node";

    private ClusterHeaders() {
    }
}
