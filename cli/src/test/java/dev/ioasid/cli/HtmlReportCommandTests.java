package dev.ioasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.reports.html.HtmlReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that checks something writes report.html beside its other outputs, with the verdict
 * its exit code says, and the lines the report gives to replay it replay it when run.
 */
class HtmlReportCommandTests extends CapturedOutput {
    @TempDir
    Path dir;

    @Test
    void aFuzzFailuresReportShowsTheTraceAndItsReplayLineReplaysIt() throws IOException {
        assertThat(Main.run("fuzz", "--impl", "mutant:replace-not-atomic", "--tries", "200", "--out", dir.toString()))
                .isEqualTo(Main.VIOLATION);
        String html = report();
        assertThat(verdict(html)).isEqualTo("fail:FALSIFIED");
        assertThat(html).contains("Minimal failing trace").contains("id=\"failing-step\"").contains("Operations and their outcomes")
                .contains("Rule coverage").contains("href=\"#rule-ATT-11\"");
        List<String> replay = replayLines(html);
        assertThat(replay).singleElement().asString().startsWith("java -jar " + ReplayLine.JAR + " replay ");
        assertThat(runReplayLine(replay.get(0))).isEqualTo(Main.VIOLATION);
    }

    @Test
    void aPassingFuzzRunsReportGivesTheCommandThatRunsItAgain() throws IOException {
        assertThat(Main.run("fuzz", "--tries", "30", "--length", "40", "--seed", "7", "--out", dir.toString())).isEqualTo(Main.HOLDS);
        String html = report();
        assertThat(verdict(html)).isEqualTo("pass:PASSED");
        List<String> replay = replayLines(html);
        assertThat(replay).containsExactly("java -jar " + ReplayLine.JAR + " fuzz --impl reference --seed 7 --tries 30 --length 40");
        Files.delete(dir.resolve(HtmlReport.FILE_NAME));
        assertThat(runReplayLine(replay.get(0))).isEqualTo(Main.HOLDS);
        assertThat(out.toString()).contains("sequences: 30 of 30, length: 40");

        // Shards' artifacts often land in one directory: each shard's report carries its shard.
        assertThat(Main.run("fuzz", "--tries", "10", "--shard", "2/2", "--out", dir.toString())).isEqualTo(Main.HOLDS);
        assertThat(replayLines(Files.readString(dir.resolve("report-shard2of2.html"))))
                .containsExactly("java -jar " + ReplayLine.JAR + " fuzz --impl reference --seed 20210601 --tries 10 --length 150 --shard 2/2");
    }

    @Test
    void anExplorationsReportHasEachDesignsVerdictItsDepthChartAndTheCounterexamplesDiagram() throws IOException {
        assertThat(Main.run("explore", "--design", "both-register", "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        String html = report();
        assertThat(verdict(html)).isEqualTo("fail:VIOLATED");
        assertThat(html).contains("Verdict of each design").contains("New states by depth: both-register")
                .contains("<figure class=\"sequence\">").contains("Design both-register: shortest counterexample");
        assertThat(runReplayLine(replayLines(html).get(0))).isEqualTo(Main.VIOLATION);
        assertThat(out.toString()).contains("STILL FAILS: design both-register");

        assertThat(Main.run("explore", "--max-states", "500", "--out", dir.toString())).isEqualTo(Main.INCONCLUSIVE);
        assertThat(verdict(report())).isEqualTo("inconclusive:BOUND EXHAUSTED");
    }

    @Test
    void conformanceReplayAndValidationWriteTheirReports() throws IOException {
        assertThat(Main.run("conform", "--max-states", "30", "--out", dir.toString())).isEqualTo(Main.INCONCLUSIVE);
        assertThat(verdict(report())).isEqualTo("inconclusive:CONFORMS SO FAR");
        assertThat(report()).contains("Bounds checked").contains("nesting and a fault queue");

        assertThat(Main.run("conform", "--impl", "mutant:partial-group-delivered", "--out", dir.toString())).isEqualTo(Main.VIOLATION);
        String mismatch = report();
        assertThat(verdict(mismatch)).isEqualTo("fail:MISMATCH");
        Path trace = dir.resolve("conform-partial-group-delivered.json");
        assertThat(replayLines(mismatch)).contains("java -jar " + ReplayLine.JAR + " replay " + trace + " --impl mutant:partial-group-delivered");

        assertThat(Main.run("replay", "--out", dir.toString(), trace.toString(), "--impl", "reference")).isEqualTo(Main.HOLDS);
        assertThat(verdict(report())).isEqualTo("pass:PASSES");

        assertThat(Main.run("validate", "--out", dir.toString(), "../scenarios/kernel")).isEqualTo(Main.HOLDS);
        assertThat(verdict(report())).isEqualTo("pass:AGREES");
        assertThat(report()).contains("Logs").contains("Rule coverage");
    }

    @Test
    void checksReportLinksTheReportOfEachCheck() {
        String html = HtmlReport.render(HtmlPages.check("reference", List.of(
                new HtmlPages.Part("explore (page-table-owner)", "HOLDS (791,214 states)", Main.HOLDS, "report-explore.html"),
                new HtmlPages.Part("conform", "CONFORMS", Main.HOLDS, "report-conform.html"),
                new HtmlPages.Part("fuzz", "FALSIFIED (3 sequences)", Main.VIOLATION, "report-fuzz.html")), Main.VIOLATION));
        assertThat(verdict(html)).isEqualTo("fail:FAILED");
        assertThat(html).contains("<a href=\"report-fuzz.html\">report-fuzz.html</a>").contains("class=\"cell bad\">FALSIFIED");
    }

    private String report() throws IOException {
        return Files.readString(dir.resolve(HtmlReport.FILE_NAME));
    }

    /** The verdict banner's kind and word, as {@code fail:FALSIFIED}. */
    private static String verdict(String html) {
        Matcher m = Pattern.compile("<div class=\"verdict verdict-(\\w+)\" id=\"verdict\"><strong>([^<]+)</strong>").matcher(html);
        assertThat(m.find()).as("a verdict banner").isTrue();
        return m.group(1) + ":" + m.group(2);
    }

    /** The lines of the "How to replay" block, unescaped as a browser shows them. */
    private static List<String> replayLines(String html) {
        int start = html.indexOf("<pre class=\"replay\">");
        assertThat(start).as("a replay block").isNotNegative();
        String block = html.substring(start, html.indexOf("</pre>", start));
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("<code>(.*?)</code>").matcher(block);
        while (m.find()) {
            lines.add(m.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&#61;", "=").replace("&#96;", "`")
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return lines;
    }

    /** Runs "java -jar cli/target/ioasid-contract.jar ARGS" as a shell would split ARGS. */
    private int runReplayLine(String line) {
        String prefix = "java -jar " + ReplayLine.JAR + " ";
        assertThat(line).startsWith(prefix);
        out.reset();
        List<String> words = CliTests.shellWords(line.substring(prefix.length()));
        if (words.get(0).equals("replay")) {
            words.add(1, "--out");
            words.add(2, dir.toString());
        }
        return Main.run(words.toArray(String[]::new));
    }
}
