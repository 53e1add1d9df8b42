package io.dtxlab.platform.security;

/** The two headers that carry our tokens, and the roles they grant. */
public final class TokenHeaders {

    public static final String CLUSTER_TOKEN = "X-Cluster-Token";
    public static final String ADMIN_TOKEN = "X-Admin-Token";
    static final String ROLE_CLUSTER = "CLUSTER";
    static final String ROLE_ADMIN = "ADMIN";

    private TokenHeaders() {
    }
}
