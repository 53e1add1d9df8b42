package io.dtxlab.platform.fault;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The nodes this node is cut off from. The cluster client refuses to send to them and the inbound
 * filter refuses what they send, so the cut holds in both directions even if only one side knows.
 */
@Component
public class PartitionTable {

    private static final Logger log = LoggerFactory.getLogger(PartitionTable.class);

    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

    public boolean isCutOffFrom(String node) {
        return node != null && !cutOff.isEmpty() && cutOff.contains(node);
    }

    public void cutOffFrom(Collection<String> nodes) {
        cutOff.clear();
        cutOff.addAll(nodes);
        log.warn("partition: this node now refuses all traffic to and from {}", new TreeSet<>(cutOff));
    }

    public void heal() {
        cutOff.clear();
        log.info("partition healed");
    }

    public Set<String> cutOff() {
        return new TreeSet<>(cutOff);
    }
}
