package io.dtxlab.coordinator.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Service;

/**
 * Compares the coordinator's decisions with what every participant's branches say, and collects each
 * participant's own invariants. It reads; it changes nothing. A mixed outcome is what 3PC's timeouts can produce
 * under a partition, and what 2PC must never produce.
 */
@Service
class Audit {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BranchStatus(String xid, String state) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ParticipantAudit(String participant, boolean holds, List<AuditReport.Check> invariants) {
    }

    private final TransactionLog transactionLog;
    private final ClusterClient client;

    Audit(TransactionLog transactionLog, ClusterClient client) {
        this.transactionLog = transactionLog;
        this.client = client;
    }

    AuditReport run(int limit) {
        List<LoggedTransaction> decided = transactionLog.recent(limit).stream().filter(t -> t.decision() != null).toList();
        TreeSet<String> participants = new TreeSet<>();
        decided.forEach(t -> t.branches().forEach(b -> participants.add(b.participant())));
        Map<String, Map<String, String>> states = new HashMap<>();
        List<AuditReport.ParticipantInvariants> invariants = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (String participant : participants) {
            try {
                Map<String, String> byXid = new HashMap<>();
                for (BranchStatus b : client.get(participant, "audit", null, "/branches?limit=" + Math.min(1000, limit * 2),
                        BranchStatus[].class)) {
                    byXid.put(b.xid(), b.state());
                }
                states.put(participant, byXid);
                ParticipantAudit audit = client.get(participant, "audit", null, "/audit", ParticipantAudit.class);
                invariants.add(new AuditReport.ParticipantInvariants(participant, audit.holds(),
                        audit.invariants().stream().filter(c -> !c.holds()).toList()));
            } catch (ClusterCallException e) {
                unreachable.add(participant + " (" + e.outcome() + ")");
            }
        }
        List<AuditReport.Finding> mixed = new ArrayList<>();
        List<AuditReport.Finding> against = new ArrayList<>();
        for (LoggedTransaction t : decided) {
            Map<String, String> branches = new LinkedHashMap<>();
            for (BranchSpec b : t.branches()) {
                Map<String, String> seen = states.get(b.participant());
                if (seen != null && seen.containsKey(t.xid())) {
                    branches.put(b.participant(), seen.get(t.xid()));
                }
            }
            boolean committed = branches.containsValue("COMMITTED");
            boolean aborted = branches.containsValue("ABORTED");
            AuditReport.Finding finding = new AuditReport.Finding(t.xid(), t.protocol(), t.decision(), t.reason(), branches);
            if (committed && aborted) {
                mixed.add(finding);
            }
            String opposite = "COMMIT".equals(t.decision()) ? "ABORTED" : "COMMITTED";
            if (branches.containsValue(opposite)) {
                against.add(finding);
            }
        }
        // a participant that cannot be asked cannot be vouched for
        boolean consistent = mixed.isEmpty() && against.isEmpty() && unreachable.isEmpty()
                && invariants.stream().allMatch(AuditReport.ParticipantInvariants::holds);
        return new AuditReport(consistent, decided.size(), mixed, against, invariants, unreachable);
    }
}
