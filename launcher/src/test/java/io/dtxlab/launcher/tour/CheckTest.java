package io.dtxlab.launcher.tour;

import static io.dtxlab.launcher.tour.Check.has;
import static io.dtxlab.launcher.tour.Check.is;
import static io.dtxlab.launcher.tour.Check.number;
import static io.dtxlab.launcher.tour.Check.some;
import static io.dtxlab.launcher.tour.Check.status;
import static io.dtxlab.launcher.tour.Check.values;
import static io.dtxlab.launcher.tour.Check.valuesStartingWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Http;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim checks on canned answers, shortened from real ones: they hold, or say what was expected and what came. */
class CheckTest {

    private final Bindings bindings = new Bindings().put("fresh", "tour-1-x").put("xid", "tx-7");

    @Test
    void aConfirmedOrderOfTwelveMessagesHoldsAndSixteenDoesNot() {
        Answer confirmed = Answer.of(201, "{\"orderId\":\"ord-1\",\"xid\":\"tx-7\",\"outcome\":\"CONFIRMED\",\"messages\":12}", null);
        Step commit = Stories.named("2pc-commit").orElseThrow().steps().stream()
                .filter(s -> s.narration().startsWith("An order that commits")).findFirst().orElseThrow();

        assertThat(commit.checks()).allSatisfy(c -> assertThat(c.test(confirmed, bindings)).isEmpty());
        Answer threePhase = Answer.of(201, "{\"outcome\":\"CONFIRMED\",\"messages\":18}", null);
        assertThat(firstMismatch(commit, threePhase)).hasValueSatisfying(m ->
                assertThat(m.toString()).isEqualTo("messages: expected 12, actual 18"));
    }

    @Test
    void aWrongStatusSaysWhichCameAndWhatItSaid() {
        Answer refused = Answer.of(503, "{\"title\":\"No coordinator leads\"}", null);
        assertThat(status(201).test(refused, bindings)).hasValueSatisfying(m -> {
            assertThat(m.expected()).isEqualTo("201");
            assertThat(m.actual()).startsWith("503").contains("No coordinator leads");
        });
        assertThat(status(200, 201).test(Answer.of(0, null, "connection refused: …"), bindings))
                .hasValueSatisfying(m -> assertThat(m.toString())
                        .isEqualTo("HTTP status: expected 200 or 201, actual no answer (connection refused: …)"));
    }

    @Test
    void moneyComparesAsNumbers() {
        Answer account = Answer.of(200, "{\"charged\":5.0,\"held\":0}", null);
        assertThat(number("/charged", "5.00").test(account, bindings)).isEmpty();
        assertThat(number("/held", "50.00").test(account, bindings)).hasValueSatisfying(m ->
                assertThat(m.toString()).isEqualTo("held: expected 50.00, actual 0"));
    }

    @Test
    void variablesAreFilledInBeforeComparing() {
        Answer rejected = Answer.of(201, "{\"xid\":\"tx-7\",\"reason\":\"no answer within the pre-commit timeout "
                + "(2000 ms) from inventory\"}", null);
        assertThat(is("/xid", "${xid}").test(rejected, bindings)).isEmpty();
        assertThat(has("/reason", "inventory").test(rejected, bindings)).isEmpty();
        assertThat(is("/outcome", "REJECTED").test(rejected, bindings)).hasValueSatisfying(m ->
                assertThat(m.toString()).isEqualTo("outcome: expected \"REJECTED\", actual nothing"));
    }

    @Test
    void siblingsAreJudgedByTheirValuesInAnyOrder() {
        Answer siblings = Answer.of(300, "{\"siblings\":[{\"value\":\"D4\"},{\"value\":\"D3\"}],\"context\":{\"replica-1\":2}}", null);
        assertThat(values("/siblings", "/value", "D3", "D4").test(siblings, bindings)).isEmpty();
        assertThat(values("/siblings", "/value", "D3").test(siblings, bindings)).hasValueSatisfying(m ->
                assertThat(m.actual()).isEqualTo("[D4, D3]"));
    }

    @Test
    void theLedgerMustListExactlyThisRunsLostWrites() {
        Answer ledger = Answer.of(200, "{\"lostWrites\":[{\"key\":\"c1\"},{\"key\":\"tour-1-x-e1\"},{\"key\":\"tour-1-x-e2\"},"
                + "{\"key\":\"tour-1-x-e3\"}]}", null);
        Check exactly = valuesStartingWith("/lostWrites", "/key", "${fresh}", "${fresh}-e1", "${fresh}-e2", "${fresh}-e3");
        assertThat(exactly.test(ledger, bindings)).isEmpty();
        Answer missingOne = Answer.of(200, "{\"lostWrites\":[{\"key\":\"tour-1-x-e1\"},{\"key\":\"tour-1-x-e3\"}]}", null);
        assertThat(exactly.test(missingOne, bindings)).hasValueSatisfying(m -> {
            assertThat(m.expected()).isEqualTo("[tour-1-x-e1, tour-1-x-e2, tour-1-x-e3]");
            assertThat(m.actual()).isEqualTo("[tour-1-x-e1, tour-1-x-e3]");
        });
    }

    @Test
    void theAuditMustNameTheMixedOutcome() {
        Answer audit = Answer.of(200, "{\"consistent\":false,\"mixedOutcomes\":[{\"xid\":\"tx-7\",\"decision\":\"ABORT\"}]}", null);
        assertThat(some("/mixedOutcomes", "/xid", "${xid}").test(audit, bindings)).isEmpty();
        Answer clean = Answer.of(200, "{\"consistent\":true,\"mixedOutcomes\":[]}", null);
        assertThat(some("/mixedOutcomes", "/xid", "${xid}").test(clean, bindings)).isPresent();
    }

    @Test
    void aCaptureFromAListPicksTheElementThatNamesThisTour() {
        Answer branches = Answer.of(200, "[{\"xid\":\"tx-1\",\"payload\":\"{\\\"customerId\\\":\\\"c-9\\\"}\"},"
                + "{\"xid\":\"tx-2\",\"payload\":\"{\\\"customerId\\\":\\\"tour-1-x\\\"}\"}]", null);
        Capture xid = Capture.keepFrom("xid", "", "/payload", "${fresh}", "/xid");
        assertThat(xid.from(branches, bindings)).map(JsonNode::asText).contains("tx-2");
        assertThat(xid.from(Answer.of(200, "[]", null), bindings)).isEmpty();
        assertThat(xid.missing(bindings).toString()).contains("payload contains \"tour-1-x\"");
    }

    @Test
    void aBodyTakesACapturedContextAsJsonAndTextsAsText() throws Exception {
        bindings.put("merged", Answer.of(200, "{\"replica-1\":2,\"replica-2\":1}", null).json()).put("n", 2);
        Object body = bindings.fillBody(Step.json("value", "D5 for ${fresh}", "context", "${merged}", "k", "${n}"));
        assertThat(Http.json().writeValueAsString(body))
                .isEqualTo("{\"value\":\"D5 for tour-1-x\",\"context\":{\"replica-1\":2,\"replica-2\":1},\"k\":2}");
    }

    private Optional<Check.Mismatch> firstMismatch(Step step, Answer answer) {
        return step.checks().stream().map(c -> c.test(answer, bindings)).flatMap(Optional::stream).findFirst();
    }
}
