package dev.ioasid.cli;

import dev.ioasid.contract.Bounds;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreResult;
import dev.ioasid.model.Design;
import dev.ioasid.model.Rule;
import dev.ioasid.properties.Coverage;
import dev.ioasid.properties.Health;
import dev.ioasid.properties.LogValidation;
import dev.ioasid.properties.PropertyResult;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceRenderer;
import dev.ioasid.reports.html.BarChart;
import dev.ioasid.reports.html.HtmlReport;
import dev.ioasid.reports.html.ReportPage;
import dev.ioasid.reports.html.ReportPage.RuleCoverage;
import dev.ioasid.reports.html.ReportPage.RuleRef;
import dev.ioasid.reports.html.ReportPage.RuleUse;
import dev.ioasid.reports.html.ReportPage.Verdict;
import dev.ioasid.reports.html.SpecRules;
import dev.ioasid.reports.html.Table;
import dev.ioasid.reports.html.Table.Cell;
import dev.ioasid.reports.html.Table.Row;
import dev.ioasid.reports.html.TraceView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HTML report of each command, from the results the command computed: what the page says is
 * decided here, how it looks in {@code report.mustache}.
 */
final class HtmlPages {

    private HtmlPages() {
    }

    /**
     * Writes the page as {@code name} in {@code dir}, whole or not at all, and says where; a report
     * that cannot be written is said on standard error and costs nothing else: the verdict, the exit
     * code and the trace files stand.
     */
    static void write(Path dir, String name, ReportPage page) {
        Path file = dir.resolve(name);
        String problem = HtmlReport.writeOrExplain(file, page);
        if (problem != null) {
            System.err.println("ioasid-contract: " + problem);
        } else {
            System.out.println("report: " + file);
        }
    }

    // ---- fuzz ----

    static ReportPage fuzz(PropertyResult result, String runCommand, Trace trace, List<String> replay, List<String> notes) {
        Coverage c = result.coverage();
        var config = result.config();
        Verdict verdict;
        if (result instanceof PropertyResult.Falsified f) {
            verdict = trace != null && TraceRenderer.protocolBroken(trace)
                    ? new Verdict("PROTOCOL BROKEN", "error", trace.headline())
                    : Verdict.fail("FALSIFIED", trace == null ? "a sequence disagreed with the model" : trace.headline());
        } else {
            verdict = Verdict.pass("PASSED", String.format("%,d sequences of %,d steps agreed with the model, every state kept every invariant",
                    c.sequences(), config.length()));
        }
        double seconds = result instanceof PropertyResult.Passed p ? p.seconds() : ((PropertyResult.Falsified) result).secondsToFind();
        ReportPage.Builder page = ReportPage.of("fuzz", "Property run of " + result.implementation() + " against the model", verdict)
                .fact("implementation", result.implementation())
                .fact("profile", config.bounds().profile().cliName())
                .fact("bounds", TraceRenderer.describe(config.bounds()))
                .fact("seed", config.seed())
                .fact("sequences", String.format("%,d of %,d, %,d steps each at most, %,d steps in all", c.sequences(),
                        config.tries(), config.length(), c.steps()))
                .fact("time", String.format("%.2f s", seconds))
                .fact("stale stage-1 translations accepted (XLT-4)", c.staleAccepted() + " of " + c.nestedDma()
                        + " DMA through nested tables");
        if (trace != null) {
            page.replay(replay).trace(TraceView.of("Minimal failing trace", trace, replay));
        } else {
            page.replay(List.of(runCommand));
        }
        page.table(Table.heatMap("Operations and their outcomes",
                "How often each call returned each outcome (ok, an errno, or for DMA the level that faulted); darker is more often, on a logarithmic scale.",
                c.outcomes()));
        page.coverage(ruleCoverage(c));
        Health.warnings(c, config.bounds().profile()).forEach(page::note);
        notes.forEach(page::note);
        return page.build();
    }

    private static RuleCoverage ruleCoverage(Coverage c) {
        SpecRules spec = SpecRules.bundled();
        Set<Rule> used = c.rules();
        List<RuleUse> decided = new ArrayList<>();
        List<RuleRef> never = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            if (used.contains(rule)) {
                decided.add(new RuleUse(RuleRef.of(rule.id(), spec), sequences(c.sequencesWith(rule))));
            } else {
                never.add(RuleRef.of(rule.id(), spec));
            }
        }
        return new RuleCoverage(String.format("%d of %d rules decided at least one step of the run (SPEC order).",
                decided.size(), Rule.values().length), decided, never);
    }

    private static String sequences(int n) {
        return String.format("in %,d sequence%s", n, n == 1 ? "" : "s");
    }

    // ---- explore ----

    /** One design's exploration, with its counterexample when it broke an invariant. */
    record DesignRun(Design design, ExploreResult result, Trace trace, List<String> replay) {
    }

    static ReportPage explore(Bounds bounds, int groupRequests, int threads, boolean reduction,
                              dev.ioasid.model.FaultDelivery delivery, List<DesignRun> runs) {
        boolean violated = runs.stream().anyMatch(r -> r.result() instanceof ExploreResult.Violated);
        boolean allHold = runs.stream().allMatch(r -> r.result() instanceof ExploreResult.Holds);
        Verdict verdict = violated ? Verdict.fail("VIOLATED", runs.stream().filter(r -> r.trace() != null)
                .map(r -> r.trace().headline()).collect(Collectors.joining("; "))) // each headline names its design
                : allHold ? Verdict.pass("HOLDS", "every reachable state of every design explored satisfies every invariant")
                : Verdict.inconclusive("BOUND EXHAUSTED", "no violation in the states reached, but not every state was reached");
        ReportPage.Builder page = ReportPage.of("explore", "Exhaustive exploration of the model", verdict)
                .fact("profile", bounds.profile().cliName())
                .fact("bounds", TraceRenderer.describe(bounds))
                .fact("designs", runs.stream().map(r -> r.design().cliName()).collect(Collectors.joining(", ")))
                .fact("page requests a group", groupRequests)
                .fact("fault delivery", delivery.cliName() + (delivery.queues()
                        ? " (a completed group waits in the page request queue until deliverFault; "
                        + (delivery.drainsOnDetach() ? "a detach drains the point's groups, FLT-8)" : "no drain on detach)")
                        : " (a group is routed as it completes)"))
                .fact("threads", threads + " (the results do not depend on it)")
                .fact("partial-order reduction", reduction ? "on (sleep sets: the same states, fewer steps)" : "off");
        List<Row> rows = new ArrayList<>();
        for (DesignRun run : runs) {
            ExploreResult.Stats s = run.result().stats();
            boolean holds = run.result() instanceof ExploreResult.Holds;
            String what = run.result() instanceof ExploreResult.Violated v ? "VIOLATED: " + v.invariant().name()
                    : holds ? "HOLDS" : "BOUND EXHAUSTED: " + ((ExploreResult.BoundExhausted) run.result()).why();
            rows.add(new Row(run.design().cliName(), List.of(
                    new Cell(what, holds ? "good" : run.trace() != null ? "bad" : "neutral", ""),
                    Cell.plain(run.trace() == null ? "-" : run.trace().steps().size() + " steps"),
                    Cell.plain(String.format("%,d", s.states())), Cell.plain(String.format("%,d", s.transitions())),
                    Cell.plain(String.valueOf(s.depth())), Cell.plain(String.format("%.1f s", s.seconds())))));
            page.chart(new ReportPage.Chart("New states by depth: " + run.design().cliName(),
                    String.format("%,d distinct states in all, depth %d (breadth first: depth is the length of a shortest path).",
                            s.states(), s.depth()),
                    BarChart.svg("new states by depth, design " + run.design().cliName(), "depth", bars(s.newByDepth()))));
        }
        page.table(Table.of("Verdict of each design", "Each fault-routing design explored to the end of the bounds, or to its first broken invariant.",
                List.of("design", "verdict", "shortest counterexample", "states", "transitions", "depth", "time"), rows));
        for (DesignRun run : runs) {
            if (run.trace() != null) {
                page.trace(TraceView.of("Design " + run.design().cliName() + ": shortest counterexample", run.trace(), run.replay()));
                page.replay(run.replay());
            }
        }
        return page.build();
    }

    private static List<BarChart.Bar> bars(List<Long> byDepth) {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (int d = 0; d < byDepth.size(); d++) {
            bars.add(new BarChart.Bar(String.valueOf(d), byDepth.get(d)));
        }
        return bars;
    }

    // ---- conform ----

    /** Conformance on one of the bounds. */
    record BoundsRun(String name, Bounds bounds, Conformance.Verdict verdict) {
    }

    static ReportPage conform(String implementation, List<BoundsRun> runs, Trace mismatch, List<String> replay) {
        boolean allExhausted = runs.stream().allMatch(r -> r.verdict() instanceof Conformance.Conforms c && c.exhausted());
        Verdict verdict = mismatch != null ? Verdict.fail("MISMATCH", mismatch.headline())
                : allExhausted ? Verdict.pass("CONFORMS", "every transition of every reachable state agreed with the model")
                : Verdict.inconclusive("CONFORMS SO FAR", "no mismatch in the states reached, but a budget stopped before every state was");
        ReportPage.Builder page = ReportPage.of("conform", "Conformance of " + implementation + " to the model", verdict)
                .fact("implementation", implementation);
        List<Row> rows = new ArrayList<>();
        for (BoundsRun run : runs) {
            Conformance.Verdict v = run.verdict();
            boolean conforms = v instanceof Conformance.Conforms;
            String what = conforms ? (((Conformance.Conforms) v).exhausted() ? "CONFORMS" : "CONFORMS so far") : "MISMATCH";
            rows.add(new Row(run.name(), List.of(
                    new Cell(what, !conforms ? "bad" : ((Conformance.Conforms) v).exhausted() ? "good" : "neutral", ""),
                    Cell.plain(TraceRenderer.describe(run.bounds())),
                    Cell.plain(String.format("%,d", v.states())), Cell.plain(String.format("%,d", v.transitions())),
                    Cell.plain(conforms ? String.valueOf(((Conformance.Conforms) v).depth()) : "-"),
                    Cell.plain(String.format("%.1f s", v.seconds())))));
        }
        page.table(Table.of("Bounds checked", "Every transition of every state reached, breadth first, checked against the model with every query and DMA read after it.",
                List.of("bounds", "verdict", "bounds in full", "states", "transitions", "depth", "time"), rows));
        if (mismatch != null) {
            page.replay(replay).trace(TraceView.of("Shortest mismatch within its bounds", mismatch, replay));
        }
        return page.build();
    }

    // ---- replay ----

    static ReportPage replay(Path traceFile, String implementation, boolean stillFails, String line, Trace again,
                             List<String> replay) {
        Verdict verdict = stillFails ? Verdict.fail("STILL FAILS", line) : Verdict.pass("PASSES", line);
        ReportPage.Builder page = ReportPage.of("replay", "Replay of " + traceFile, verdict)
                .fact("trace file", traceFile)
                .fact("implementation", implementation)
                .replay(replay);
        if (again != null) {
            page.trace(TraceView.of("The trace as it fails now", again, replay));
        }
        return page.build();
    }

    // ---- mutants ----

    /** One row of the kill matrix: the cells say how each engine did. */
    record KillRow(String mutant, String mistake, String rule, String shortest, Cell propertyRun, Cell conformance, Cell explorer) {
    }

    static ReportPage mutants(long seed, int tries, List<KillRow> rows, boolean allKilled, String verdictLine) {
        Verdict verdict = allKilled ? Verdict.pass("ALL KILLED", verdictLine) : Verdict.fail("NOT ALL KILLED", verdictLine);
        List<Row> table = rows.stream().map(r -> new Row(r.mutant(), List.of(Cell.plain(r.mistake()), Cell.plain(r.rule()),
                Cell.plain(r.shortest()), r.propertyRun(), r.conformance(), r.explorer()))).toList();
        return ReportPage.of("mutants", "Mutant zoo: which engine kills which planted bug", verdict)
                .fact("property run", "seed " + seed + ", up to " + tries + " sequences of 150 steps")
                .fact("conformance", "conform's default bounds in turn, breadth first")
                .fact("explorer", "the default explore bounds, to the end or the first violation")
                .replay(List.of("java -jar cli/target/ioasid-contract.jar mutants --seed " + seed + " --tries " + tries))
                .table(Table.of("Kill matrix", "Green: killed (steps of the trace, time to find and shrink); red: survived, or a kill longer than the shortest trace; amber: conformance ran out of its budget (the zoo counts the property run's kill).",
                        List.of("mutant", "mistake", "rule", "shortest", "property run (shrunk)", "conformance", "explorer"), table))
                .build();
    }

    // ---- validate ----

    static ReportPage validate(List<Path> files, List<LogValidation.Outcome> outcomes, List<String> replay) {
        int diverging = (int) outcomes.stream().filter(o -> !o.agrees()).count();
        Verdict verdict = diverging == 0 ? Verdict.pass("AGREES", "every step of every log is one the model allows")
                : Verdict.fail("DIVERGES", diverging + " of " + files.size() + " logs diverge from the model");
        ReportPage.Builder page = ReportPage.of("validate", "Validation of recorded logs against the model", verdict)
                .fact("logs", files.size())
                .replay(replay);
        List<Row> summary = new ArrayList<>();
        Set<String> deciding = new java.util.TreeSet<>();
        for (int i = 0; i < files.size(); i++) {
            LogValidation.Outcome o = outcomes.get(i);
            o.rulesDeciding().forEach(r -> deciding.add(r.id()));
            summary.add(new Row(files.get(i).toString(), List.of(Cell.judged(o.agrees() ? "AGREES" : "DIVERGES", o.agrees()),
                    Cell.plain(o.bounds().profile().cliName()), Cell.plain(o.design().cliName()), Cell.plain(String.valueOf(o.steps())),
                    Cell.plain(String.valueOf(o.divergences().size())))));
            if (!o.agrees()) {
                List<Row> rows = new ArrayList<>();
                for (LogValidation.Divergence d : o.divergences()) {
                    rows.add(new Row(String.valueOf(d.index() + 1), List.of(Cell.plain(String.valueOf(d.entry().line())),
                            Cell.plain(d.op().toString()), new Cell(String.valueOf(d.observed()), "bad", ""), Cell.plain(d.expected()),
                            Cell.plain(d.rules().map(Rule::id).mkString(", ")), Cell.plain(d.follow().words()))));
                }
                for (LogValidation.BrokenInvariant b : o.brokenInvariants()) {
                    rows.add(new Row(String.valueOf(b.index() + 1), List.of(Cell.plain("-"), Cell.plain("(the model's own state)"),
                            new Cell("breaks \"" + b.invariant() + "\"", "bad", ""), Cell.plain(b.detail()), Cell.plain(""), Cell.plain(""))));
                }
                page.table(Table.of("Divergences of " + files.get(i), "Each step whose recorded result the model does not allow, with the rule that decided.",
                        List.of("step", "line", "call", "recorded", "model allows", "rules", "then"), rows));
            }
        }
        page.table(Table.of("Logs", "One row per log.", List.of("log", "verdict", "profile", "design", "steps", "divergences"), summary));
        SpecRules spec = SpecRules.bundled();
        page.coverage(new RuleCoverage("The rules that decided the agreeing steps of the logs.",
                deciding.stream().map(id -> new RuleUse(RuleRef.of(id, spec), "yes")).toList(), List.of()));
        return page.build();
    }

    // ---- check ----

    /** One command check ran, with its verdict and the report it wrote. */
    record Part(String command, String verdict, int exitCode, String report) {
    }

    static ReportPage check(String implementation, List<Part> parts, int worst) {
        Verdict verdict = worst == Main.HOLDS ? Verdict.pass("PASSED", "the design explored holds, the implementation conforms and passed the property run")
                : worst == Main.INCONCLUSIVE ? Verdict.inconclusive("INCONCLUSIVE", "nothing failed, but a budget stopped a check before it was complete")
                : Verdict.fail("FAILED", "a check failed: see its report");
        List<Row> rows = parts.stream().map(p -> new Row(p.command(), List.of(
                new Cell(p.verdict(), p.exitCode() == Main.HOLDS ? "good" : p.exitCode() == Main.INCONCLUSIVE ? "neutral" : "bad", ""),
                new Cell(p.report(), "", "", p.report())))).toList();
        return ReportPage.of("check", "Check of " + implementation + ": explore, conform, fuzz", verdict)
                .fact("implementation", implementation)
                .table(Table.of("Checks", "Each check wrote its own report beside this one.", List.of("check", "verdict", "report"), rows))
                .build();
    }
}
