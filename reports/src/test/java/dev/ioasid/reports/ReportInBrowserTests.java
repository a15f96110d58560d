package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ioasid.reports.html.HtmlReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reports rendered by a real browser (headless Chromium, JavaScript off) and looked at as a
 * person would: the page renders with its verdict, the sequence diagram has one lane per
 * participant, and the failing step is marked in the diagram and in the table. The colours looked
 * for are used for nothing else: lane lines {@code #1f5fbf}, the failing step {@code #f4c7c3}, a
 * failed verdict's banner {@code #fbe3e0}.
 *
 * <p>{@code .ci/run} installs Chromium (Debian's package), so in CI this always runs; elsewhere it
 * runs when {@code chromium} is on the PATH or {@code IOASID_CHROMIUM} names it, and is skipped,
 * saying so, when neither is.
 */
class ReportInBrowserTests {
    private static final int LANE = 0x1f5fbf;
    private static final int FAILING = 0xf4c7c3;
    private static final int FAILED_BANNER = 0xfbe3e0;

    @Test
    void anExplorerCounterexampleShowsOneLanePerParticipantAndItsFailingStep(@TempDir Path dir) throws Exception {
        BufferedImage page = screenshot(HtmlReport.render(HtmlReportTests.exploreFailure()), dir);
        assertThat(area(page, FAILED_BANNER, 0, 220)).as("the failed verdict's banner at the top").isGreaterThan(20_000);
        List<int[]> lanes = lanes(page);
        assertThat(lanes).as("lanes: dev 1, IOMMU, queue 2 (vm 1)").hasSize(3);
        int top = lanes.stream().mapToInt(l -> l[1]).min().orElseThrow();
        int bottom = lanes.stream().mapToInt(l -> l[2]).max().orElseThrow();
        assertThat(area(page, FAILING, top, bottom)).as("the failing step's band across the diagram").isGreaterThan(2_000);
        assertThat(area(page, FAILING, bottom + 1, page.getHeight())).as("the failing step's row in the table").isGreaterThan(2_000);
    }

    @Test
    void aFailureWithoutPageRequestsHasNoDiagramAndItsFailingRowMarked(@TempDir Path dir) throws Exception {
        BufferedImage page = screenshot(HtmlReport.render(HtmlReportTests.fuzzFailure()), dir);
        assertThat(area(page, FAILED_BANNER, 0, 220)).as("the failed verdict's banner at the top").isGreaterThan(20_000);
        assertThat(lanes(page)).as("no sequence diagram: no step touches a page request").isEmpty();
        assertThat(area(page, FAILING, 0, page.getHeight())).as("the failing step's row").isGreaterThan(2_000);
    }

    private static BufferedImage screenshot(String html, Path dir) throws IOException, InterruptedException {
        String browser = browser();
        Path file = dir.resolve(HtmlReport.FILE_NAME);
        Files.writeString(file, html);
        Path png = dir.resolve("report.png");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"),
                "--force-device-scale-factor=1", "--hide-scrollbars", "--window-size=1280,2200",
                "--screenshot=" + png, file.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not take the screenshot within 120 s: " + Files.readString(dir.resolve("chromium.log")));
        }
        assertThat(png).as("Chromium's screenshot (log: %s)", Files.readString(dir.resolve("chromium.log"))).exists();
        return ImageIO.read(png.toFile());
    }

    /** The browser: IOASID_CHROMIUM, else chromium on the PATH; in CI its absence is a failure, not a skip. */
    private static String browser() {
        String named = System.getenv("IOASID_CHROMIUM");
        if (named != null && !named.isBlank()) {
            return named;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "chromium"))) {
                return Path.of(dir, "chromium").toString();
            }
        }
        if (System.getenv("CI") != null) {
            fail("no Chromium: .ci/run installs Debian's chromium package; IOASID_CHROMIUM may name another");
        }
        Assumptions.abort("no chromium on the PATH (apt-get install chromium, or set IOASID_CHROMIUM): the browser check is skipped");
        return null;
    }

    /**
     * Lane lines: columns with at least 40 pixels of the lane colour (arrows and notes cross a lane,
     * so its pixels need not be one run), adjacent columns merged. Each is {x, top, bottom}.
     */
    private static List<int[]> lanes(BufferedImage image) {
        List<int[]> lanes = new ArrayList<>();
        for (int x = 0; x < image.getWidth(); x++) {
            int count = 0;
            int top = -1;
            int bottom = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                if (near(image.getRGB(x, y), LANE)) {
                    count++;
                    top = top < 0 ? y : top;
                    bottom = y;
                }
            }
            if (count >= 40) {
                int[] last = lanes.isEmpty() ? null : lanes.get(lanes.size() - 1);
                if (last != null && x - last[0] <= 3) {
                    last[0] = x;
                } else {
                    lanes.add(new int[] {x, top, bottom});
                }
            }
        }
        return lanes;
    }

    private static long area(BufferedImage image, int colour, int fromY, int toY) {
        long n = 0;
        for (int y = Math.max(0, fromY); y < Math.min(image.getHeight(), toY); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (near(image.getRGB(x, y), colour)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean near(int argb, int rgb) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }
}
