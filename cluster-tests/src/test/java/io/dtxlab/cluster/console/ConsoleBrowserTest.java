package io.dtxlab.cluster.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The console as a person uses it, in a real browser (headless chromium through Selenium) against real nodes: an order
 * placed shows up in the page and its timeline is drawn as a sequence diagram, 2PC beside 3PC; crashing the leading
 * coordinator with the page's button (the admin token entered once) moves the leader on the map. The page is opened on
 * the order node, which every step leaves running.
 */
class ConsoleBrowserTest {

    private static final Duration LIVE = Duration.ofSeconds(30);

    @RegisterExtension
    static final ChromiumBrowser chromium = new ChromiumBrowser();

    /** One shop for the class, started only when there is a browser to test it with. */
    static LabCluster cluster;

    final WebDriver browser = chromium.driver();

    @BeforeAll
    static void startTheShop() {
        if (chromium.available()) {
            // chromium shares the two cores with every node: a page rendering can stall the nodes past a default
            // 700 ms election timeout, and a leader change in the middle of an order aborts it. The timeline to draw
            // is a committed one, so the timers are generous; a crashed leader is still replaced within seconds.
            cluster = Shop.nodes(LabCluster.builder(), 3)
                    .property("dtx.coordinator.prepare-timeout", "20s")
                    .property("dtx.coordinator.consensus.election-timeout", "5s")
                    .property("dtx.coordinator.consensus.lease-duration", "4s")
                    .property("dtx.coordinator.consensus.heartbeat-interval", "200ms")
                    .property("dtx.coordinator.consensus.max-clock-drift", "100ms")
                    .start();
        }
    }

    @AfterAll
    static void stopTheShop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void everyNodeIsBack() {
        if (cluster != null) {
            new Shop(cluster).restore();
        }
    }

    @Test
    void anOrderPlacedShowsUpAndItsTimelineIsDrawnBesideA3pcOne() throws IOException {
        // given the console open on the order node, showing the leader
        String leader = new Shop(cluster).awaitLeader();
        open();
        await().atMost(LIVE).until(() -> leaderOnTheMap().equals(leader));

        // when a 2PC order and a 3PC order are placed
        String xid2pc = new Shop(cluster, "2PC").order("alice", "WIDGET", 1).xid();
        String xid3pc = new Shop(cluster, "3PC").order("alice", "WIDGET", 1).xid();

        // then each shows up in the list, and picking it draws its messages and log records, side by side: 3PC on
        // the right, every other protocol on the left, as the panes' headings say
        assertThat(browser.findElement(By.cssSelector("#pane-2pc h3")).getText()).startsWith("2PC, TCC, SAGA, NONE");
        assertThat(browser.findElement(By.cssSelector("#pane-3pc h3")).getText()).startsWith("3PC");
        pick(xid2pc);
        String drawn2pc = await().atMost(LIVE).until(() -> diagram("#diagram-2pc", xid2pc),
                text -> text.contains("DECISION COMMIT") && text.contains("END logged"));
        assertThat(drawn2pc).contains("prepare", "vote YES", "commit", "ack", "order", "inventory", "payment", leader);
        pick(xid3pc);
        String drawn3pc = await().atMost(LIVE).until(() -> diagram("#diagram-3pc", xid3pc),
                text -> text.contains("DECISION COMMIT") && text.contains("END logged"));
        assertThat(drawn3pc).contains("can-commit", "pre-commit", "do-commit");
        assertThat(diagram("#diagram-2pc", xid2pc)).as("the 2PC one stays beside it").contains("vote YES");

        Path shot = Path.of("target", "console-browser-test.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, chromium.driver().getScreenshotAs(OutputType.BYTES));

        // and once the browser leaves, the node stops following the cluster: no console thread is left
        browser.get("about:blank");
        await("no console thread once the browser left").atMost(LIVE).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().startsWith("console-")));
    }

    @Test
    void theButtonsPassOnlyFaultsPartitionsAndCrashAndOnlyWithTheAdminToken() {
        LabNode order = cluster.node("order");
        assertThat(order.http().get().uri("/admin/console/nodes/inventory/faults").retrieve().toEntity(String.class)
                .getStatusCode().value()).as("no token").isEqualTo(401);
        assertThat(order.admin().get().uri("/admin/console/nodes/inventory/faults/points").retrieve()
                .toEntity(String.class).getBody()).as("inventory's own points").contains("participant.vote-no");
        assertThat(order.admin().put().uri("/admin/console/nodes/inventory/stock/WIDGET").body("{\"available\":5}")
                .retrieve().toEntity(String.class).getStatusCode().value()).as("not a fault path").isEqualTo(404);
        assertThat(order.admin().get().uri("/admin/console/nodes/nobody/faults").retrieve().toEntity(String.class)
                .getStatusCode().value()).as("not a node").isEqualTo(404);
    }

    @Test
    void crashingTheLeaderFromThePageMovesTheLeaderOnTheMap() {
        // given the console open, the admin token entered once, and the leader on the map
        String old = new Shop(cluster).awaitLeader();
        open();
        browser.findElement(By.id("token")).sendKeys(TestTokens.ADMIN);
        browser.findElement(By.id("token-save")).click();
        await().atMost(LIVE).until(() -> leaderOnTheMap().equals(old));

        // when its crash button is pressed (and confirmed)
        WebElement card = browser.findElement(By.cssSelector("[data-node='" + old + "']"));
        card.findElement(By.cssSelector("button.crash")).click();
        browser.switchTo().alert().accept();
        await("crash of " + old).atMost(LIVE).until(() -> !cluster.node(old).isRunning());

        // then the map shows it down, and another coordinator leading
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String now = leaderOnTheMap();
            return !now.isEmpty() && !now.equals(old);
        });
        String next = leaderOnTheMap();
        assertThat(browser.findElement(By.cssSelector("[data-node='" + next + "']")).getAttribute("class"))
                .contains("leader");
        await().atMost(LIVE).until(() -> browser.findElement(By.cssSelector("[data-node='" + old + "']"))
                .getAttribute("class").contains("down"));
        assertThat(browser.findElement(By.id("leader")).getText()).contains(next).contains("ballot");
    }

    private void open() {
        browser.get(cluster.node("order").baseUrl() + "/console/");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("stream")).getText().equals("live"));
    }

    /** The leader the page shows ("" while none). */
    private String leaderOnTheMap() {
        String leader = browser.findElement(By.id("leader")).getAttribute("data-leader");
        return leader == null ? "" : leader;
    }

    private void pick(String xid) {
        By row = By.cssSelector("#tx-list tr[data-xid='" + xid + "']");
        await().atMost(LIVE).until(() -> !browser.findElements(row).isEmpty());
        // the list is redrawn as the map changes: a row found a moment ago may be gone, so find and click at once
        await().atMost(LIVE).ignoreExceptions().until(() -> {
            browser.findElement(row).click();
            return true;
        });
    }

    /** The text of the diagram drawn in {@code box}, once it shows {@code xid}; "" before. */
    private String diagram(String box, String xid) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const b = document.querySelector(arguments[0]);"
                        + "return b && b.dataset.xid === arguments[1] && b.querySelector('svg') ? b.textContent : '';",
                box, xid);
        return text == null ? "" : text.toString();
    }
}
