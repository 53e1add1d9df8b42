package io.dtxlab.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dynamo quorums with R + W > N, from the client's side: here N=3, R=2, W=2. */
class QuorumCheckerTest {

    private final QuorumChecker checker = new QuorumChecker(3, 2, 2);

    @Test
    void rPlusWAboveNReadSeesTheLastAcknowledgedWrite() {
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "read", "k", null, 20, read(version("v1", "replica-1", 1, Map.of())), 30)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aReadThatReturnsAnOverwrittenValueIsCaughtWithTheWriteItMissed() {
        // given v2 was written on top of v1 (its context holds v1's dot) and acknowledged; a later read returns v1
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c1", "write", "k", request("v2", Map.of("replica-1", 1L)), 20, answer("replica-1", 2), 30)
                .ok("c2", "read", "k", null, 40, read(version("v1", "replica-1", 1, Map.of())), 50)
                .history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        Finding stale = verdict.violations(QuorumChecker.FRESH).get(0);
        assertThat(stale.detail()).isEqualTo("returned [v1] but missed 1 write acknowledged before it began, the "
                + "latest v2 (replica-1:2)");
        assertThat(stale.operations()).extracting(Operation::f).containsExactly("read", "write");
        assertThat(stale.operations().get(1).describe()).contains("\"v2\"");
    }

    @Test
    void aNewerVersionThatCoversTheLastWriteIsFresh() {
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .info("c3", "write", "k", request("v2", Map.of("replica-1", 1L)), 15, null, 60)
                .ok("c2", "read", "k", null, 20, read(version("v2", "replica-2", 1, Map.of("replica-1", 1L))), 30)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void concurrentBlindWritesAreBothSeenAsSiblings() {
        Timeline writes = concurrentBlindWrites();
        History history = writes.ok("c3", "read", "k", null, 40, read(version("v1", "replica-1", 1, Map.of()),
                version("v2", "replica-2", 1, Map.of())), 50).history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aReadThatKeepsOneOfTwoConcurrentAcknowledgedWritesHasLostTheOther() {
        History history = concurrentBlindWrites()
                .ok("c3", "read", "k", null, 40, read(version("v1", "replica-1", 1, Map.of())), 50).history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.violations(QuorumChecker.FRESH)).singleElement().extracting(Finding::detail).asString()
                .contains("missed 1 write").contains("v2 (replica-2:1)");
    }

    @Test
    void siblingsOfWritesThatDidNotOverlapAreCaughtWhenTheLaterOneHadAContext() {
        // given v2 began after v1 was acknowledged, with a context from a read in its operation that missed v1
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "write", "k", request("v2", Map.of()), 20, answer("replica-2", 1), 30)
                .ok("c3", "read", "k", null, 40, read(version("v1", "replica-1", 1, Map.of()),
                        version("v2", "replica-2", 1, Map.of())), 50)
                .history();

        Verdict verdict = checker.check(history);

        Finding finding = verdict.violations(QuorumChecker.SIBLINGS).get(0);
        assertThat(finding.detail()).isEqualTo("siblings v1 and v2, but v2 was written with a context after v1 was "
                + "acknowledged");
        assertThat(finding.operations()).hasSize(3);
    }

    @Test
    void aBlindWriteAfterAnotherMayLegitimatelyBecomeItsSibling() {
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "write", "k", request("v2"), 20, answer("replica-2", 1), 30)
                .ok("c3", "read", "k", null, 40, read(version("v1", "replica-1", 1, Map.of()),
                        version("v2", "replica-2", 1, Map.of())), 50)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aStaleReadThroughStandInsIsASloppyQuorumNoteNotAViolation() {
        Map<String, Object> sloppyRead = new LinkedHashMap<>(read(version("v1", "replica-1", 1, Map.of())));
        sloppyRead.put("staleReadsPossible", true);
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c1", "write", "k", request("v2", Map.of("replica-1", 1L)), 20, answer("replica-1", 2), 30)
                .fault("kill replica-2", 35, 100)
                .ok("c2", "read", "k", null, 40, sloppyRead, 50)
                .history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.notes()).extracting(Finding::rule).containsExactly("sloppy quorum");
    }

    @Test
    void readsWithRPlusWNotAboveNAreNotHeldToFreshness() {
        Map<String, Object> oneReplica = new LinkedHashMap<>(read(version("v1", "replica-1", 1, Map.of())));
        oneReplica.put("r", 1);
        Map<String, Object> oneAck = new LinkedHashMap<>(answer("replica-1", 2));
        oneAck.put("w", 1);
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c1", "write", "k", request("v2", Map.of("replica-1", 1L)), 20, oneAck, 30)
                .ok("c2", "read", "k", null, 40, oneReplica, 50)
                .history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.notes()).singleElement().extracting(Finding::detail).asString()
                .startsWith("2 read/write pairs with R + W <= N not checked");
    }

    @Test
    void aReadOfNothingAfterAnAcknowledgedWriteIsStale() {
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "read", "k", null, 20, null, 30)
                .history();

        assertThat(checker.check(history).violations(QuorumChecker.FRESH)).hasSize(1);
    }

    @Test
    void aReadOfAValueNeverWrittenOrOfAFailedWriteIsCaught() {
        History history = new Timeline()
                .fail("c1", "write", "k", request("v1"), 0, 10)
                .ok("c2", "read", "k", null, 20, read(version("v1", "replica-1", 1, Map.of()),
                        version("ghost", "replica-2", 1, Map.of())), 30)
                .history();

        assertThat(checker.check(history).violations(QuorumChecker.WRITTEN)).extracting(Finding::detail)
                .containsExactly("read v1, but its write was answered fail", "read ghost, but no client wrote it");
    }

    @Test
    void theServicesAnswersAreReadAsTheyAre() {
        Map<String, Object> answer = new LinkedHashMap<>(read(version("v1", "replica-1", 1, Map.of())));
        answer.putAll(Map.of("key", "k", "coordinator", "replica-3", "answered", List.of("replica-3", "replica-1"),
                "context", Map.of("replica-1", 1), "messages", 2, "latencyMs", 3, "failed", Map.of(), "standIns",
                List.of()));
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "read", "k", null, 20, answer, 30)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void twoWritesOfOneValueAreARunnersMistake() {
        History history = new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 10)
                .ok("c2", "write", "k", request("v1"), 20, answer("replica-1", 2), 30)
                .history();

        assertThatThrownBy(() -> checker.check(history)).hasMessageContaining("unique per key");
    }

    private static Timeline concurrentBlindWrites() {
        return new Timeline()
                .ok("c1", "write", "k", request("v1"), 0, answer("replica-1", 1), 30)
                .ok("c2", "write", "k", request("v2"), 5, answer("replica-2", 1), 25);
    }

    private static Map<String, Object> request(String value) {
        return Map.of("value", value);
    }

    private static Map<String, Object> request(String value, Map<String, Long> context) {
        return Map.of("value", value, "context", context);
    }

    /** A write's answer as the service gives it: the dot, W=2 of N=3, no stand-ins. */
    private static Map<String, Object> answer(String node, long counter) {
        return Map.of("dot", Map.of("node", node, "counter", counter), "n", 3, "w", 2, "staleReadsPossible", false);
    }

    private static Map<String, Object> read(Map<?, ?>... siblings) {
        return Map.of("siblings", List.of(siblings), "n", 3, "r", 2, "staleReadsPossible", false);
    }

    private static Map<String, Object> version(String value, String node, long counter, Map<String, Long> past) {
        Map<String, Long> clock = new LinkedHashMap<>(past);
        clock.merge(node, counter, Math::max);
        return Map.of("value", value, "clock", clock, "dot", Map.of("node", node, "counter", counter), "past", past);
    }
}
