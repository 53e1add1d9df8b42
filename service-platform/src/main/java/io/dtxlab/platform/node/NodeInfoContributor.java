package io.dtxlab.platform.node;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} names the node, its role and its incarnation. */
@Component
class NodeInfoContributor implements InfoContributor {

    private final NodeIdentity node;

    NodeInfoContributor(NodeIdentity node) {
        this.node = node;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", node.id());
        details.put("role", node.role());
        details.put("incarnation", node.incarnation());
        details.put("startedAt", node.startedAt().toString());
        details.put("dataDir", node.dataDir().toString());
        builder.withDetail("node", details);
    }
}
