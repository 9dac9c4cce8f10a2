package org.oddity.web;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.cli.Oddity;
import org.oddity.fixtures.HeadlessChromium;
import org.oddity.fixtures.TrainedBundle;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real headless Chromium, served by {@code oddity demo --hold} as a
 * child JVM on its own local broker, streaming the dead-region scenario: the page draws the
 * per-cell rate charts and the p-value histogram, lists flagged events, shows the instance
 * ready and the FEATURE_SHIFT alert the dead calorimeter sector raises. Then it saves the
 * screenshot of {@code docs/dashboard.png}, so {@code mvn test -Dtest=DashboardBrowserTest}
 * regenerates the README's picture. Skipped where Chromium or chromedriver is not installed.
 */
@Tag("broker")
@Tag("browser")
class DashboardBrowserTest {

    private static final Path SCENARIO = Path.of("scenarios/dead-region.yaml");
    private static final Path SCREENSHOT = Path.of("docs/dashboard.png");
    /** Generous: on a loaded machine the broker, the first windows and the alert all come late. */
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Windows drawn in every rate chart before the picture, so that its lines have a shape. */
    private static final int WINDOWS_DRAWN = 8;
    private static final Pattern DASHBOARD_LINE = Pattern.compile("dashboard on (http://\\S+)");

    @Test
    void showsRatesPValuesFlagsAndTheDeadRegionAlert(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        assumeTrue(HeadlessChromium.installed(), "needs " + HeadlessChromium.BROWSER + " and "
                + HeadlessChromium.DRIVER + " (Debian's chromium and chromium-driver)");
        Path log = dir.resolve("demo.log");
        Process demo = startDemo(dir, log);
        ChromeDriver browser = null;
        try {
            URI page = dashboardUrl(demo, log);
            browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
            browser.get(page.toString());
            WebDriverWait wait = new WebDriverWait(browser, TIMEOUT);
            // Tables are redrawn at every poll: a row found just before a redraw is gone when read.
            wait.ignoring(StaleElementReferenceException.class);

            wait.withMessage("the readiness badge to say ready; see " + log)
                    .until(d -> d.findElement(By.id("readiness")).getText().equals("ready"));
            wait.withMessage(WINDOWS_DRAWN + " windows in every per-cell rate chart; see " + log)
                    .until(DashboardBrowserTest::rateChartsDrawn);
            wait.withMessage("a p-value histogram with events; see " + log)
                    .until(d -> counted(d.findElement(By.id("pvalues")), "data-events") > 0
                            && hasCanvas(d.findElement(By.id("pvalues"))));
            wait.withMessage("rows in the latest flagged events; see " + log)
                    .until(d -> !rows(d, "flags").isEmpty());
            // The dead sector empties eta-phi bins of the barrel: the monitor's feature histograms shift.
            wait.withMessage("a RAISED FEATURE_SHIFT alert in the open or recent alerts; see " + log)
                    .until(d -> !d.findElements(By.cssSelector("#open-alerts tr.RAISED[data-kind=FEATURE_SHIFT],"
                            + " #recent-alerts tr.RAISED[data-kind=FEATURE_SHIFT]")).isEmpty());

            Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
            assertTrue(demo.isAlive(), "the demo holds its dashboard up; see " + log);
        } finally {
            try {
                if (browser != null) {
                    browser.quit();
                }
            } finally {
                stop(demo);
            }
        }
    }

    /** {@code oddity demo --hold} on the test's trained bundle, its output in {@code log}. */
    private static Process startDemo(Path dir, Path log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), Oddity.class.getName(), "demo",
                "--scenario", SCENARIO.toString(), "--bundle", TrainedBundle.directory().toString(),
                // A minute of stream: the dead-region fault fills its middle third, windows of under a second.
                "--duration", "30s", "--rate", "10000", "--hold",
                "--set", "metrics.port=" + freePort(), "--set", "work.dir=" + dir.resolve("work"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The address the demo prints once its dashboard listens. */
    private static URI dashboardUrl(Process demo, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher line = DASHBOARD_LINE.matcher(Files.readString(log));
            if (line.find()) {
                return URI.create(line.group(1));
            }
            assertTrue(demo.isAlive(), "the demo ended before serving its dashboard; see " + log);
            Thread.sleep(200);
        }
        throw new AssertionError("no 'dashboard on' line within " + TIMEOUT + "; see " + log);
    }

    private static boolean rateChartsDrawn(WebDriver page) {
        List<WebElement> charts = page.findElements(By.cssSelector("#rates .chart"));
        return !charts.isEmpty() && charts.stream().allMatch(c -> counted(c, "data-windows") >= WINDOWS_DRAWN
                && hasCanvas(c));
    }

    private static long counted(WebElement element, String attribute) {
        String value = element.getDomAttribute(attribute);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static boolean hasCanvas(SearchContext element) {
        return !element.findElements(By.tagName("canvas")).isEmpty();
    }

    /** The rows of a table with content: an empty table has one row saying "none". */
    private static List<WebElement> rows(WebDriver page, String table) {
        return page.findElements(By.cssSelector("#" + table + " tbody tr:not(.empty)"));
    }

    /**
     * SIGTERM, as Ctrl-C, then waits for the demo to close its application and broker; one that
     * does not stop is killed with its broker, which SIGKILL would leave running.
     */
    private static void stop(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor();
        }
    }
}
