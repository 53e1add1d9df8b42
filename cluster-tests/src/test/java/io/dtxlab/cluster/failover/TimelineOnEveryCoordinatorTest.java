package io.dtxlab.cluster.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A transaction's timeline is kept by the coordinator that ran it (in memory, and in its H2 file once the run ended);
 * every other coordinator shows the same timeline by fetching it, names where it comes from, and says so when that
 * coordinator is down instead of showing an empty list. Real services over HTTP, real H2 files; a crash is abrupt.
 */
class TimelineOnEveryCoordinatorTest {

    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2", "coordinator-3");

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 3)
            .property("dtx.participant.in-doubt-after", "1s")
            .property("dtx.participant.recovery-interval", "500ms")
            .property("dtx.coordinator.retry-max-backoff", "1s"));

    final LabCluster cluster = lab.cluster();
    final Shop shop = new Shop(cluster);

    @AfterEach
    void everyCoordinatorIsBack() {
        shop.restore();
    }

    @Test
    void aCoordinatorThatDidNotLeadShowsTheLeadersTimelineAndNamesIt() {
        String leader = shop.awaitLeader();
        String xid = shop.order("alice", "WIDGET", 1).xid();
        JsonNode onLeader = storedOn(leader, xid);

        for (String follower : followersOf(leader)) {
            JsonNode tx = await().atMost(Duration.ofSeconds(30)).until(() -> shop.transactionOn(follower, xid),
                    t -> "ENDED".equals(t.path("state").asString()));

            assertThat(tx.path("timelineFrom").toString()).isEqualTo("[\"" + leader + "\"]");
            assertThat(tx.path("timeline")).isEqualTo(onLeader.path("timeline"));
            assertThat(tx.path("messages").asInt()).as("4n participant messages, as on the leader").isEqualTo(12);
            assertThat(absent(tx.path("timelineMissing"))).as("nothing missing").isTrue();
        }
    }

    @Test
    void aTimelineSurvivesTheCrashOfTheLeaderThatKeepsItAndIsShownAgainOnceItIsBack() {
        // given a transaction the leader ran and stored, and then the leader crashes
        String old = shop.awaitLeader();
        String xid = shop.order("alice", "WIDGET", 1).xid();
        JsonNode before = storedOn(old, xid);
        cluster.crash(old);
        String next = await().atMost(Duration.ofSeconds(30)).until(shop::awaitLeader, l -> !l.equals(old));

        // then the new leader shows the transaction and says whose timeline it lacks, and why, not an empty list
        JsonNode whileDown = shop.transactionOn(next, xid);
        assertThat(whileDown.path("decision").asString()).isEqualTo("COMMIT");
        assertThat(absent(whileDown.path("timeline"))).as("no timeline rather than an empty one").isTrue();
        assertThat(whileDown.path("timelineMissing").asString()).contains(old).contains("cannot be reached");

        // and once the old leader is back, from its files, every coordinator shows the timeline it kept
        cluster.start(old);
        for (String id : COORDINATORS) {
            JsonNode tx = await().atMost(Duration.ofSeconds(30)).until(() -> shop.transactionOn(id, xid),
                    t -> absent(t.path("timelineMissing")) && t.path("timeline").isArray());
            assertThat(tx.path("timelineFrom").toString()).isEqualTo("[\"" + old + "\"]");
            assertThat(tx.path("timeline")).isEqualTo(before.path("timeline"));
            assertThat(tx.path("messages").asInt()).isEqualTo(12);
        }
    }

    @Test
    void aRunCutByACrashIsNamedAsMissingBesideThePartOfTheLeaderThatFinishedIt() {
        // given the leader dies once COMMIT is chosen, before any commit leaves: its run never ends, so is never stored
        String old = shop.awaitLeader();
        shop.arm(old, "coordinator.after-decision", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(old, () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();
        String next = await().atMost(Duration.ofSeconds(30)).until(shop::awaitLeader, l -> !l.equals(old));

        // then the new leader shows its own part, from the recovery on, and names the part it cannot get
        JsonNode tx = await().atMost(Duration.ofSeconds(60)).until(() -> shop.transactionOn(next, xid),
                t -> t.path("timeline").toString().contains("END logged"));
        assertThat(tx.path("timelineFrom").toString()).isEqualTo("[\"" + next + "\"]");
        assertThat(tx.path("timeline").get(0).path("what").asString()).startsWith("recovered from the log");
        assertThat(tx.path("timelineMissing").asString()).contains(old).contains("cannot be reached");

        // and once the old leader is back, that it holds no timeline of the run the crash cut
        cluster.start(old);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shop.transactionOn(next, xid)
                .path("timelineMissing").asString()).contains(old + " began it but holds no timeline of it"));
    }

    /** The transaction on {@code coordinator} once its END is logged and its timeline is in the H2 file. */
    private JsonNode storedOn(String coordinator, String xid) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> shop.transactionOn(coordinator, xid),
                t -> t.path("timelineStored").asBoolean() && t.path("timeline").toString().contains("END logged"));
    }

    /** Null fields are left out of the answers. */
    private static boolean absent(JsonNode field) {
        return field.isMissingNode() || field.isNull();
    }

    private static List<String> followersOf(String leader) {
        List<String> followers = new ArrayList<>(COORDINATORS);
        followers.remove(leader);
        return followers;
    }
}
