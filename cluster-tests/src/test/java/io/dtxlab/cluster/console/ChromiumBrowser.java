package io.dtxlab.cluster.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless chromium driven through the chromedriver installed on the machine (Debian's {@code chromium} and
 * {@code chromium-driver}: {@code chromium} and {@code chromedriver} on the PATH, else in {@code /usr/bin};
 * {@code DTX_CHROMEDRIVER} and {@code DTX_CHROMIUM} name others). Selenium Manager, which would download a driver,
 * is never asked. Without a driver each test is skipped by an assumption that says why (and the test class starts no
 * node, see {@link #available}); with {@code DTX_REQUIRE_BROWSER=1} (CI) a missing driver fails the class instead.
 */
final class ChromiumBrowser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private ChromeDriver driver;
    private String missing;

    ChromeDriver driver() {
        return driver;
    }

    /** Whether the browser runs; known once this extension's beforeAll ran (before the class's own @BeforeAll). */
    boolean available() {
        return driver != null;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path chromedriver = installed("DTX_CHROMEDRIVER", "chromedriver");
        if (!Files.isExecutable(chromedriver)) {
            String reason = "no chromedriver at " + chromedriver + " (apt-get install chromium chromium-driver, or set "
                    + "DTX_CHROMEDRIVER): the console's browser test needs one";
            if ("1".equals(System.getenv("DTX_REQUIRE_BROWSER"))) {
                Assertions.fail(reason + ", and DTX_REQUIRE_BROWSER=1 requires it");
            }
            missing = reason + "; skipped (set DTX_REQUIRE_BROWSER=1 to fail instead)";
            return;
        }
        ChromeOptions options = new ChromeOptions();
        Path chromium = installed("DTX_CHROMIUM", "chromium");
        if (Files.isExecutable(chromium)) {
            options.setBinary(chromium.toFile());
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    /** The program the variable names, else the first {@code name} on the PATH, else {@code /usr/bin/<name>}. */
    private static Path installed(String variable, String name) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return Path.of("/usr/bin", name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }
}
