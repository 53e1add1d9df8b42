package io.dtxlab.testsupport;

/** The tokens every harness node is started with. */
public final class TestTokens {

    public static final String CLUSTER = "test-cluster-token";
    public static final String ADMIN = "test-admin-token";

    private TestTokens() {
    }
}
