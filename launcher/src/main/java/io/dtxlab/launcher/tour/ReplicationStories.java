package io.dtxlab.launcher.tour;

import static io.dtxlab.launcher.tour.Check.absentAt;
import static io.dtxlab.launcher.tour.Check.above;
import static io.dtxlab.launcher.tour.Check.empty;
import static io.dtxlab.launcher.tour.Check.has;
import static io.dtxlab.launcher.tour.Check.is;
import static io.dtxlab.launcher.tour.Check.isNot;
import static io.dtxlab.launcher.tour.Check.present;
import static io.dtxlab.launcher.tour.Check.size;
import static io.dtxlab.launcher.tour.Check.some;
import static io.dtxlab.launcher.tour.Check.status;
import static io.dtxlab.launcher.tour.Check.values;
import static io.dtxlab.launcher.tour.Check.valuesStartingWith;
import static io.dtxlab.launcher.tour.Step.json;
import static io.dtxlab.launcher.tour.Step.step;
import static io.dtxlab.launcher.tour.Story.story;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The README's replication stories: "Master-slave replication" (SYNC, SEMI_SYNC, ASYNC and the ELECT failover's
 * lost-writes ledger) and "Quorum replication (Dynamo)" (Dynamo's D1 to D4, and hinted handoff). Keys are this
 * tour's own ({@code ${fresh}}); the master is looked up, never assumed to be replica-1.
 */
final class ReplicationStories {

    private static final Duration SOON = Duration.ofSeconds(60);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReplicationStories() {
    }

    static List<Story> all() {
        return List.of(sync(), semiSync(), async(), failoverLedger(), quorumSiblings(), hintedHandoff());
    }

    static Story sync() {
        return story("sync", "SYNC waits for every replica; with REJECT a slave cut off makes writes fail and be "
                + "undone, and once it is back it catches up and writes go on")
                .changingReplicationSettings()
                .steps(master(), slave(),
                        mode("SYNC, and REJECT when a slave fails", json("mode", "SYNC", "syncFailure", "REJECT")),
                        step("A write: acknowledged by every replica before it is answered")
                                .put("${master}", "/kv/${fresh}", json("value", "v1"))
                                .expect(status(200), is("/mode", "SYNC"), size("/acknowledgedBy", "${replicas}")),
                        step("Cut ${slave} off from the master")
                                .adminPut("${slave}", "/admin/partition", json("nodes", List.of("${master}")))
                                .expect(status(200)),
                        step("A write it cannot get: refused and undone (503), naming the slave")
                                .put("${master}", "/kv/${fresh}", json("value", "v2"))
                                .expect(status(503), has("/detail", "${slave}")),
                        step("The master still serves the value before it: no client ever read v2")
                                .get("${master}", "/kv/${fresh}").expect(status(200), is("/value", "v1")),
                        step("Heal the partition").adminDelete("${slave}", "/admin/partition").expect(status(200)),
                        step("Once the slave has caught up, writes are accepted again, by every replica")
                                .put("${master}", "/kv/${fresh}", json("value", "v3"))
                                .expect(status(200), size("/acknowledgedBy", "${replicas}"))
                                .until(SOON),
                        step("The slave has it").get("${slave}", "/kv/${fresh}")
                                .expect(status(200), is("/value", "v3")));
    }

    static Story semiSync() {
        return story("semi-sync", "SEMI_SYNC waits for k slave acks up to a timeout: a slow slave makes the write "
                + "degraded, not refused, and semi-sync resumes once it has caught up")
                .changingReplicationSettings()
                .steps(master(), slave(),
                        mode("SEMI_SYNC: every slave's ack (k = ${slaves}) within 300 ms",
                                json("mode", "SEMI_SYNC", "semiSyncAcks", "${slaves}", "semiSyncTimeoutMs", 300)),
                        step("${slave} will apply the next entry 1.5 s late")
                                .adminPost("${slave}", "/admin/faults", json("point", "replication.before-apply",
                                        "action", "DELAY", "delayMs", 1500, "times", 1))
                                .expect(status(200, 201)),
                        step("A write: it succeeds, degraded (the master runs async until the slaves caught up)")
                                .put("${master}", "/kv/${fresh}", json("value", "1"))
                                .expect(status(200), is("/mode", "SEMI_SYNC"), is("/degraded", "true"),
                                        present("/degradedReason")),
                        step("Once ${slave} has caught up, the master is no longer degraded")
                                .get("${master}", "/replication/status").expect(absentAt("/semiSyncDegraded"))
                                .until(SOON),
                        step("The next write gets its k acks in time")
                                .put("${master}", "/kv/${fresh}", json("value", "2"))
                                .expect(status(200), is("/degraded", "false"), size("/acknowledgedBy", "${replicas}")));
    }

    static Story async() {
        return story("async", "ASYNC answers once the master alone has the write: a slow slave lags behind, then "
                + "converges through Kafka")
                .changingReplicationSettings()
                .steps(master(), slave(),
                        mode("ASYNC", json("mode", "ASYNC")),
                        step("${slave} will take its next entry from Kafka 3 s late")
                                .adminPost("${slave}", "/admin/faults", json("point", "replication.before-apply-async",
                                        "action", "DELAY", "delayMs", 3000, "times", 1))
                                .expect(status(200, 201)),
                        step("A write: answered at once, acknowledged by the master alone")
                                .put("${master}", "/kv/${fresh}", json("value", "1"))
                                .expect(status(200), is("/mode", "ASYNC"), size("/acknowledgedBy", "1")),
                        step("${slave} does not have it yet").get("${slave}", "/kv/${fresh}").expect(status(404)),
                        step("A few seconds later it has converged")
                                .get("${slave}", "/kv/${fresh}").expect(status(200), is("/value", "1")).until(SOON));
    }

    static Story failoverLedger() {
        return story("failover-ledger", "An ELECT failover loses the acknowledged ASYNC writes the master never "
                + "shipped, and the lost-writes ledger lists exactly those")
                .needs(Requirement.answer(new Action.Call("GET", "replica-1", "/replication/status", null, false),
                        is("/failover", "ELECT"), "failover is fixed per node when it starts (no admin API switches "
                                + "it): start the cluster with DTX_REPLICATION_FAILOVER=ELECT ./dtx up"))
                .changingReplicationSettings()
                .steps(master(), mode("ASYNC", json("mode", "ASYNC")),
                        step("The master will hold back what it publishes to Kafka (10 minutes)")
                                .adminPost("${master}", "/admin/faults", json("point", "replication.before-publish",
                                        "action", "DELAY", "delayMs", 600000, "times", 1))
                                .expect(status(200, 201)),
                        lostWrite("e1"), lostWrite("e2"), lostWrite("e3"),
                        step("Crash the master").crash("${master}"),
                        step("A survivor").choose("survivor", (b, roster) ->
                                NODES.textNode(Roster.next(roster.replicas(), b.fill("${master}")))),
                        step("The most up-to-date slave is elected master of a higher epoch")
                                .get("${survivor}", "/replication/status")
                                .expect(isNot("/master", "${master}"), above("/epoch", "${epoch}"),
                                        is("/masterReachable", "true"))
                                .keep("newMaster", "/master").until(SOON),
                        step("Its ledger: the failover is unreconciled, the deposed master's writes after the fork "
                                + "may be lost")
                                .get("${newMaster}", "/replication/lost-writes")
                                .expect(some("/unreconciled", "/deposedMaster", "${master}")),
                        step("The old master comes back: it steps down, rejoins as a slave and reports its "
                                + "divergent entries").restart("${master}"),
                        step("The ledger lists exactly e1, e2 and e3")
                                .get("${newMaster}", "/replication/lost-writes")
                                .expect(valuesStartingWith("/lostWrites", "/key", "${fresh}",
                                        "${fresh}-e1", "${fresh}-e2", "${fresh}-e3"))
                                .until(SOON));
    }

    static Story quorumSiblings() {
        return story("quorum-siblings", "Dynamo's D1 to D4: writes on both sides of a partition become siblings, a "
                + "read returns both (300), and a write with the merged context resolves them")
                .steps(step("The key's preference list: A, B and C (its three owners)")
                                .get("replica-1", "/quorum/ring?key=${fresh}")
                                .keep("a", "/key/preferenceList/0").keep("b", "/key/preferenceList/1")
                                .keep("c", "/key/preferenceList/2"),
                        step("D1 through A; W=3, so B and C have it on disk too")
                                .put("${a}", "/quorum/kv/${fresh}?w=3", json("value", "D1"))
                                .expect(status(200), size("/acks", "3")).keep("d1Context", "/context"),
                        step("D2 through A, with D1's context: D2 supersedes D1")
                                .put("${a}", "/quorum/kv/${fresh}?w=3", json("value", "D2", "context", "${d1Context}"))
                                .expect(status(200), size("/acks", "3")).keep("d2Context", "/context"),
                        step("B holds D2 and made no version of its own").get("${b}", "/quorum/local/${fresh}")
                                .expect(values("/versions", "/value", "D2")),
                        othersOf("b"), cutOff("b"), othersOf("c"), cutOff("c"),
                        step("B writes D3 on top of D2 (W=1: only B has it)")
                                .put("${b}", "/quorum/kv/${fresh}?w=1", json("value", "D3", "context", "${d2Context}"))
                                .expect(status(200), values("/acks", "", "${b}")),
                        step("C writes D4 on top of D2")
                                .put("${c}", "/quorum/kv/${fresh}?w=1", json("value", "D4", "context", "${d2Context}"))
                                .expect(status(200), values("/acks", "", "${c}")),
                        step("Heal B").adminDelete("${b}", "/admin/partition").expect(status(200)),
                        step("Heal C").adminDelete("${c}", "/admin/partition").expect(status(200)),
                        step("R=3: A answers D2, B D3 and C D4. D2 is covered by both and dropped; D3 and D4 are "
                                + "siblings (300 Multiple Choices), with their merged context")
                                .get("${a}", "/quorum/kv/${fresh}?r=3")
                                .expect(status(300), values("/siblings", "/value", "D3", "D4"))
                                .keep("merged", "/context"),
                        step("The client resolves the conflict: a write with the merged context covers both")
                                .put("${a}", "/quorum/kv/${fresh}", json("value", "D5", "context", "${merged}"))
                                .expect(status(200)),
                        step("One value again").get("${a}", "/quorum/kv/${fresh}?r=3")
                                .expect(status(200), is("/value", "D5")));
    }

    static Story hintedHandoff() {
        return story("hinted-handoff", "Sloppy quorum: with an owner down, a stand-in takes its write with a hint "
                + "and hands it over once the owner is back")
                .needs(Requirement.replicas(4, "with N=3 every replica owns every key, so nobody is left to stand "
                        + "in: start the cluster with ./dtx up --replicas 4"))
                .steps(step("The key's owners and its stand-in")
                                .get("replica-1", "/quorum/ring?key=${fresh}")
                                .expect(present("/key/standIns/0"))
                                .keep("a", "/key/preferenceList/0").keep("owner", "/key/preferenceList/2")
                                .keep("standIn", "/key/standIns/0"),
                        step("Crash the owner ${owner}").crash("${owner}"),
                        step("A write with W=3: the stand-in's ack counts, and the answer names it")
                                .put("${a}", "/quorum/kv/${fresh}?w=3", json("value", "alice"))
                                .expect(status(200), some("/standIns", "/node", "${standIn}"),
                                        some("/standIns", "/owner", "${owner}")),
                        step("The stand-in keeps the write apart, as a hint for ${owner}")
                                .get("${standIn}", "/quorum/local/${fresh}")
                                .expect(empty("/versions"), some("/hints", "/owner", "${owner}")),
                        step("A read with R=3: the stand-in answers for the owner")
                                .get("${a}", "/quorum/kv/${fresh}?r=3").expect(status(200), is("/value", "alice")),
                        step("The owner comes back").restart("${owner}"),
                        step("Within a second of it answering, the hint is handed over")
                                .get("${owner}", "/quorum/local/${fresh}")
                                .expect(values("/versions", "/value", "alice")).until(SOON),
                        step("…and the stand-in deletes it").get("${standIn}", "/quorum/local/${fresh}")
                                .expect(empty("/hints")).until(SOON));
    }

    /** The master, as every replica's status names it, and its epoch. */
    private static Step master() {
        return step("Which replica is the master").get("replica-1", "/replication/status")
                .expect(present("/master")).keep("master", "/master").keep("epoch", "/epoch");
    }

    private static Step slave() {
        return step("A slave").choose("slave", (b, roster) ->
                NODES.textNode(Roster.next(roster.replicas(), b.fill("${master}"))));
    }

    private static Step mode(String what, Object settings) {
        return step("Switch the master to " + what + " (the slaves learn it from its heartbeats)")
                .adminPut("${master}", "/admin/replication/settings", settings).expect(status(200));
    }

    private static Step lostWrite(String suffix) {
        return step("Write " + suffix + ": acknowledged by the master alone")
                .put("${master}", "/kv/${fresh}-" + suffix, json("value", "1"))
                .expect(status(200), size("/acknowledgedBy", "1"));
    }

    /** The replicas other than the one named by variable {@code who}, as {@code ${whoOthers}}. */
    private static Step othersOf(String who) {
        return step("The replicas other than " + label(who)).choose(who + "Others", (b, roster) -> {
            ArrayNode others = NODES.arrayNode();
            Roster.allBut(roster.replicas(), b.fill("${" + who + "}")).forEach(others::add);
            return others;
        });
    }

    /** Partitions the replica named by variable {@code who} from every other replica. */
    private static Step cutOff(String who) {
        return step("Partition " + label(who) + " from every other replica")
                .adminPut("${" + who + "}", "/admin/partition", json("nodes", "${" + who + "Others}"))
                .expect(status(200));
    }

    private static String label(String who) {
        return who.toUpperCase(Locale.ROOT);
    }
}
