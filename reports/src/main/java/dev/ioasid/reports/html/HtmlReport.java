package dev.ioasid.reports.html;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.ioasid.reports.TraceFile;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link ReportPage} as one self-contained HTML file: inline CSS and SVG, no script, no
 * network, readable with JavaScript off.
 *
 * <p>The layout is a Mustache template ({@code report.mustache}, mustache.java): logic-less, so
 * every decision about what a report says stays in Java where tests see it, and HTML-escaping by
 * default, so a call, an errno or a process's output can never inject markup. It needs nothing but
 * Java 8, and compiles the template once. The SVG (diagrams, charts) is built in Java with its own
 * escaping and inserted unescaped.
 */
public final class HtmlReport {

    /** The file name every command writes its report under, beside its other outputs. */
    public static final String FILE_NAME = "report.html";

    private static final Mustache TEMPLATE = new DefaultMustacheFactory("dev/ioasid/reports/html")
            .compile("report.mustache");

    private HtmlReport() {
    }

    /** The appendix entry of a rule the page names: its SPEC.md text, or that SPEC.md has no such rule. */
    public record RuleText(String id, String anchor, String text, String errno, String kernel) {
    }

    public static String render(ReportPage page) {
        List<RuleText> rules = new ArrayList<>();
        SpecRules spec = SpecRules.bundled();
        for (String id : page.rulesNamed()) {
            rules.add(spec.rule(id).map(r -> new RuleText(r.id(), r.anchor(), r.text(), r.errno(), r.kernel()))
                    .orElse(new RuleText(id, SpecRules.anchor(id), "not a rule of this build's SPEC.md", "", "")));
        }
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, new Object[] {page, Map.of("rules", rules, "hasRules", !rules.isEmpty())});
        return out.toString();
    }

    /** Writes the report whole (a temporary file moved into place) or not at all. */
    public static void write(Path file, ReportPage page) throws IOException {
        TraceFile.writeWhole(file, render(page));
    }

    /** {@link #write} that says why it failed instead of throwing: a report never costs a run its result. */
    public static String writeOrExplain(Path file, ReportPage page) {
        try {
            write(file, page);
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot write the HTML report " + file + " (" + e + ")";
        }
    }
}
