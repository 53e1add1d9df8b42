package io.dtxlab.testsupport;

import java.util.Collection;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link LabCluster} before a test class and closes it after, so a test only says which nodes it needs:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LabClusterExtension cluster = LabClusterExtension.of(b -> b
 *         .node("order", OrderApplication.class)
 *         .node("inventory", InventoryApplication.class));
 * }</pre>
 */
public final class LabClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<LabCluster.Builder> nodes;
    private LabCluster cluster;

    private LabClusterExtension(UnaryOperator<LabCluster.Builder> nodes) {
        this.nodes = nodes;
    }

    public static LabClusterExtension of(UnaryOperator<LabCluster.Builder> nodes) {
        return new LabClusterExtension(nodes);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = nodes.apply(LabCluster.builder()).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The running cluster, for what the shortcuts below do not cover. */
    public LabCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the first test of the class");
        }
        return cluster;
    }

    public LabNode node(String id) {
        return cluster().node(id);
    }

    public Collection<LabNode> nodes() {
        return cluster().nodes();
    }
}
