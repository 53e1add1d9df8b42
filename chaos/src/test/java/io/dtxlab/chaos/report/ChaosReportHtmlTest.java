package io.dtxlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.check.Validity;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.Event;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Invoke;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Nemesis;
import io.dtxlab.chaos.history.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosReportHtmlTest {

    @TempDir
    Path dir;

    private final String html = ChaosReportHtml.html(SmallRun.report());

    @Test
    void theHeaderHasTheSeedTheCommandTheCountsAndValid() {
        assertThat(html).contains("<h1>dtx chaos, seed 42 <span class=\"badge INVALID\">not valid</span></h1>");
        assertThat(html).contains("<code>" + SmallRun.COMMAND + "</code>");
        assertThat(html).contains("<tr><td>register</td><td class=\"n\">3</td><td class=\"n\">0</td>"
                + "<td class=\"n\">0</td><td class=\"n\">3</td></tr>");
        assertThat(html).contains("<tr><td>orders</td><td class=\"n\">0</td><td class=\"n\">1</td>"
                + "<td class=\"n\">1</td><td class=\"n\">2</td></tr>");
        assertThat(html).contains("2 faults: crash 1, partition 1");
        assertThat(html).contains("<tr><td>lostAcknowledged</td><td>null <span class=\"muted\">"
                + "(no lost-writes checker)</span>");
        assertThat(html).contains("<tr><td>linearizable</td><td>false</td>");
    }

    @Test
    void theTimelineHasALanePerProcessAndABarPerOperation() {
        assertThat(html).contains(">c1<tspan class=\"wl\"> register</tspan></text>");
        assertThat(html).contains(">c2<tspan class=\"wl\"> orders</tspan></text>");
        assertThat(count(html, "<rect class=\"ok")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"fail")).isEqualTo(1);
        assertThat(count(html, "<rect class=\"info")).isEqualTo(1);
        // the info order's hover title says what it was and that it timed out
        assertThat(html).containsPattern("<rect class=\"info\"[^>]*><title>#6 c2 order [^<]*-&gt; info \\(timeout\\)");
    }

    @Test
    void faultWindowsAreShadedAcrossAllLanesAndLabelled() {
        // two lanes of 16 px under a 30 px band; 12 ms drawn over 1000 px from x = 190
        assertThat(html).contains("<rect class=\"fault\" fill=\"#c33\" x=\"440.0\" y=\"30\" width=\"416.7\" "
                + "height=\"32\"><title>crash coordinator-2 [3.000 ms .. 8.000 ms]</title></rect>");
        assertThat(html).contains(">crash coordinator-2</text>");
        assertThat(html).contains("<title>partition [order] | [inventory, payment] [10.000 ms .. end]</title>");
        assertThat(html).contains(">partition [order] | [inventory, payment]</text>");
        // and on the latency chart
        assertThat(html).contains("\"faults\":[{\"fault\":\"crash coordinator-2\",\"colour\":\"#c33\",\"start\":0.003,"
                + "\"stop\":0.008}");
    }

    @Test
    void theViolationShowsTheOperationsThatBreakIt() {
        Operation read = SmallRun.op("c1", 11);

        assertThat(html).contains("<h3>linearizable-register <span class=\"badge INVALID\">INVALID</span></h3>");
        assertThat(html).contains("<h3>orders <span class=\"badge VALID\">VALID</span></h3>");
        assertThat(html).contains("<b>linearizable</b> [k1]: not linearizable: read v0, never written");
        assertThat(html).contains("<tr><td><a href=\"#op-" + read.id() + "\">#" + read.id()
                + "</a></td><td>c1</td><td>register</td><td>read</td><td>k1</td><td>null</td><td>ok</td>"
                + "<td>&quot;v0&quot;</td><td></td><td class=\"n\">0.011 s</td><td class=\"n\">0.012 s</td>"
                + "<td class=\"n\">1 ms</td></tr>");
        // on the timeline: outlined, with the id the table links to
        assertThat(html).contains("<rect class=\"ok culprit\" id=\"op-" + read.id() + "\"");
        assertThat(html).contains("2 orders: {UNKNOWN=1, failed=1}");
    }

    @Test
    void textFromTheHistoryIsEscaped() {
        assertThat(html).contains("&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
        assertThat(html).doesNotContain(SmallRun.SCRIPT);
        assertThat(html).contains("could not heal &lt;pause replica-1&gt;: timeout");
        assertThat(html).doesNotContain("<pause replica-1>");
    }

    @Test
    void thePageStandsAloneWithUplotInlined() {
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("var uPlot=function").contains(".uplot {");
        assertThat(html).contains("const latency = {\"x\":[0.0,0.004,0.011]");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html).endsWith("</body></html>\n");
    }

    @Test
    void writeWritesThePage() throws Exception {
        Path file = dir.resolve("out/chaos.html");

        ChaosReportHtml.write(SmallRun.report(), file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(html);
    }

    @Test
    void aLongRunIsDrawnInBucketsAndThinnedButKeepsItsViolations() {
        // three clients, 10,000 operations each, 1 ms apart; every 10th an info, every 7th a fail
        List<Event> events = new ArrayList<>();
        List<Invoke> invokes = new ArrayList<>();
        long t = 0;
        events.add(Nemesis.start("pause replica-1", 0));
        for (int i = 0; i < 10_000; i++) {
            for (int c = 1; c <= 3; c++) {
                Invoke invoke = new Invoke("c" + c, "write", "k" + c, JsonLines.value("v" + i), t++);
                events.add(invoke);
                invokes.add(invoke);
            }
            for (int c = 0; c < 3; c++) {
                Invoke invoke = invokes.get(invokes.size() - 3 + c);
                events.add(i % 10 == 0 ? invoke.info(null, "timeout", t++)
                        : i % 7 == 0 ? invoke.fail("refused", t++) : invoke.ok(null, t++));
            }
            t += 1_000_000;
        }
        events.add(Nemesis.stop("pause replica-1", t));
        History history = new History(events);
        Operation culprit = history.operations().get(12_345);
        Verdict broken = new Verdict(LinearizableRegisterChecker.NAME, Validity.INVALID, List.of(new Finding(
                LinearizableRegisterChecker.LINEARIZABLE, culprit.key(), "broken", List.of(culprit))), List.of());
        ChaosReport report = ChaosReport.of(SmallRun.RUN, history, p -> "register", List.of(broken));

        String page = ChaosReportHtml.html(report);

        assertThat(page).contains("<b>30000 operations, more than 5000:</b> each lane is drawn in 400 buckets");
        assertThat(page).contains("<b>" + report.counts().ok() + " ok operations, more than 20000:</b> each point is "
                + "the slowest of 2 consecutive ones");
        assertThat(page).contains("id=\"op-" + culprit.id() + "\"");
        assertThat(count(page, "<title>#")).as("only the named operation gets a bar of its own").isEqualTo(1);
        assertThat(page.length()).as("a page of reasonable size").isLessThan(2_000_000);
    }

    @Test
    void lanesAreInWorkloadOrderThenByNameWithNumbersInNumericOrder() {
        List<String> names = new ArrayList<>(List.of("c10", "c2", "b", "c", "c1", "a7"));

        names.sort(ChaosReportHtml.NATURAL);

        assertThat(names).containsExactly("a7", "b", "c", "c1", "c2", "c10");
    }

    @Test
    void aLabelThatWouldRunOffTheRightEdgeEndsThere() {
        // the partition starts at 10 of 12 ms: its label is longer than what is left of the page
        assertThat(html).contains("<text class=\"fault-label\" x=\"1220.0\" y=\"24\" text-anchor=\"end\">partition");
    }

    @Test
    void ticksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(ChaosReportHtml.niceStep(0.0012)).isEqualTo(0.002, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ChaosReportHtml.niceStep(6)).isEqualTo(10);
        assertThat(ChaosReportHtml.niceStep(3)).isEqualTo(5);
        assertThat(ChaosReportHtml.niceStep(0)).isEqualTo(1);
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
