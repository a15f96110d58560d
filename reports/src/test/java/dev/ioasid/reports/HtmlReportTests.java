package dev.ioasid.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.reports.html.BarChart;
import dev.ioasid.reports.html.HtmlReport;
import dev.ioasid.reports.html.ReportPage;
import dev.ioasid.reports.html.ReportPage.RuleCoverage;
import dev.ioasid.reports.html.ReportPage.RuleRef;
import dev.ioasid.reports.html.ReportPage.RuleUse;
import dev.ioasid.reports.html.ReportPage.Verdict;
import dev.ioasid.reports.html.SpecRules;
import dev.ioasid.reports.html.Table;
import dev.ioasid.reports.html.TraceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report: two fixed reports against golden files (regenerate with
 * {@code -Dioasid.regenerateGolden=true} and review the diff), and what every report must be:
 * verdict first, self-contained, links that land, text escaped, the failing step marked.
 */
class HtmlReportTests {
    private static final List<String> REPLAY = List.of("java -jar cli/target/ioasid-contract.jar replay trace.json --impl mutant:replace-not-atomic");

    /** A fuzz failure with a root cause, the run's outcome table, rule coverage and a health note. */
    static ReportPage fuzzFailure() {
        Trace trace = SampleTraces.replaceNotAtomicWithCause();
        Map<String, Map<String, Integer>> outcomes = new LinkedHashMap<>();
        outcomes.put("allocIoas", Map.of("ok", 1_204));
        outcomes.put("attach", Map.of("ok", 811, "EBUSY", 97, "ENOENT", 3));
        outcomes.put("queryAttachment", Map.of("ok", 402));
        outcomes.put("replace", Map.of("ok", 120, "ENOENT", 14));
        return ReportPage.of("fuzz", "Property run of replace-not-atomic against the model",
                        Verdict.fail("FALSIFIED", trace.headline()))
                .fact("implementation", "replace-not-atomic")
                .fact("bounds", TraceRenderer.describe(trace.bounds()))
                .fact("seed", 20210601)
                .replay(REPLAY)
                .trace(TraceView.of("Minimal failing trace", trace, REPLAY))
                .table(Table.heatMap("Operations and their outcomes", "How often each call returned each outcome.", outcomes))
                .coverage(new RuleCoverage("3 of 5 rules decided a step.", List.of(
                        new RuleUse(RuleRef.of("ATT-6", SpecRules.bundled()), "in 1,180 sequences"),
                        new RuleUse(RuleRef.of("ATT-11", SpecRules.bundled()), "in 402 sequences"),
                        new RuleUse(RuleRef.of("OBJ-1", SpecRules.bundled()), "in 14 sequences")),
                        List.of(RuleRef.of("FLT-5", SpecRules.bundled()), RuleRef.of("PRQ-7", SpecRules.bundled()))))
                .note("respond succeeded in no sequence")
                .build();
    }

    /** An explorer counterexample whose last step delivers a group twice: the sequence diagram has three lanes. */
    static ReportPage exploreFailure() {
        Trace trace = SampleTraces.groupHeldTwice();
        List<String> replay = List.of("java -jar cli/target/ioasid-contract.jar replay ioasid-out/explore-both-register.json");
        return ReportPage.of("explore", "Exhaustive exploration of the model", Verdict.fail("VIOLATED", trace.headline()))
                .fact("bounds", TraceRenderer.describe(trace.bounds()))
                .replay(replay)
                .trace(TraceView.of("Design both-register: shortest counterexample", trace, replay))
                .chart(new ReportPage.Chart("New states by depth: both-register", "1,276 distinct states in all, depth 5.",
                        BarChart.svg("new states by depth", "depth", List.of(new BarChart.Bar("0", 1), new BarChart.Bar("1", 4),
                                new BarChart.Bar("2", 21), new BarChart.Bar("3", 130), new BarChart.Bar("4", 520),
                                new BarChart.Bar("5", 600)))))
                .build();
    }

    @Test
    void aFuzzFailureMatchesItsGoldenFile() throws IOException {
        Golden.assertMatches("report-fuzz.html", HtmlReport.render(fuzzFailure()));
    }

    @Test
    void anExplorerCounterexampleMatchesItsGoldenFile() throws IOException {
        Golden.assertMatches("report-explore.html", HtmlReport.render(exploreFailure()));
    }

    @Test
    void theVerdictComesFirstAndTheFailingStepIsMarked() {
        String html = HtmlReport.render(fuzzFailure());
        int verdict = html.indexOf("id=\"verdict\"");
        assertThat(verdict).isPositive().isLessThan(html.indexOf("<h2"));
        assertThat(html).contains("verdict verdict-fail").contains("<strong>FALSIFIED</strong>");
        Matcher failing = Pattern.compile("<tr class=\"failing\" id=\"failing-step\"><td class=\"num\">(\\d+)").matcher(html);
        assertThat(failing.find()).isTrue();
        assertThat(failing.group(1)).isEqualTo("4");
        assertThat(failing.find()).as("one failing step").isFalse();
        assertThat(html).contains("<tr class=\"root-cause\" id=\"step-3\"><td class=\"num\">3<span class=\"marker\">root cause</span>");
    }

    @Test
    void everyRuleLinkLandsOnTheRulesText() {
        for (ReportPage page : List.of(fuzzFailure(), exploreFailure())) {
            String html = HtmlReport.render(page);
            Set<String> targets = matches(html, "href=\"#(rule-[A-Z0-9-]+)\"");
            Set<String> anchors = matches(html, "<dt id=\"(rule-[A-Z0-9-]+)\"");
            assertThat(targets).isNotEmpty();
            assertThat(anchors).containsAll(targets);
        }
        String html = HtmlReport.render(fuzzFailure());
        // ATT-11's text as SPEC.md has it, quoted in the report.
        assertThat(html).contains("<dt id=\"rule-ATT-11\">ATT-11</dt><dd>" + escaped(SpecRules.bundled().rule("ATT-11").orElseThrow().text()));
    }

    @Test
    void aReportIsSelfContained() {
        for (ReportPage page : List.of(fuzzFailure(), exploreFailure())) {
            String html = HtmlReport.render(page);
            assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=")
                    .doesNotContain("@import").doesNotContainPattern("url\\((?!#)"); // url(#marker) is within the page
            // The only address is SVG's namespace, which a browser never fetches.
            assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:").doesNotContain("https:");
        }
    }

    @Test
    void textFromARunIsEscaped() {
        Trace hostile = new Trace("fuzz", "<script>alert(1)</script>", SampleTraces.replaceNotAtomic().bounds(),
                java.util.OptionalLong.empty(), "headline with <b>markup</b> & \"quotes\"", List.of("ATT-11"), 3,
                SampleTraces.replaceNotAtomic().steps());
        String html = HtmlReport.render(ReportPage.of("replay", "<i>title</i>", Verdict.fail("STILL FAILS", "<img src=x>"))
                .trace(TraceView.of("trace", hostile, List.of("replay 'a<b'"))).build());
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<b>markup").doesNotContain("<img src=x>")
                .doesNotContain("<i>title").contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;b&gt;markup");
    }

    @Test
    void theSequenceDiagramIsThereOnlyWhenAStepTouchesAPageRequest() {
        String explore = HtmlReport.render(exploreFailure());
        assertThat(explore).contains("<figure class=\"sequence\">").contains("(3 lanes)");
        assertThat(count(explore, "class=\"lane\"")).isEqualTo(3);
        assertThat(HtmlReport.render(fuzzFailure())).doesNotContain("<figure class=\"sequence\">");
    }

    @Test
    void aReportIsWrittenWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(HtmlReport.FILE_NAME);
        HtmlReport.write(file, exploreFailure());
        assertThat(Files.readString(file)).isEqualTo(HtmlReport.render(exploreFailure()));
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(HtmlReport.FILE_NAME);
        }
        Path blocked = dir.resolve("not-a-directory");
        Files.writeString(blocked, "x");
        assertThat(HtmlReport.writeOrExplain(blocked.resolve(HtmlReport.FILE_NAME), exploreFailure()))
                .startsWith("cannot write the HTML report " + blocked.resolve(HtmlReport.FILE_NAME));
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Set<String> matches(String html, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
