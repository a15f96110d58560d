package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.explorer.Conformance;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.model.Design;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Every transition of every reachable state within the bounds, checked against an implementation. */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = "Check an implementation against every transition of every reachable model state within the bounds.")
final class ConformCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.BoundsFile bounds;

    @Mixin
    CommonOptions.Impl impl;

    // A state's path is replayed on a fresh instance for each transition that changes the state:
    // cheap in the JVM, 0.1-0.3 ms a transition over a process (the Python example), so a process
    // gets a smaller default budget.
    @Option(names = "--max-states",
            description = "states whose transitions are all checked, at most, on each bounds (default: 40,000, 30,000, "
                    + "30,000 and 60,000 on the four default bounds, 2,000 on a bounds file; 200 with --impl-cmd)")
    Long maxStates;

    // 2 by default, unlike explore: conformance runs on a state budget, not to the end, and
    // implementations get partial groups wrong (partial-group-delivered).
    @Option(names = "--group-requests", paramLabel = "N", defaultValue = "2",
            description = "page requests a group may hold (default: ${DEFAULT-VALUE})")
    int groupRequests;

    @Mixin
    CommonOptions.Out out;

    @Mixin
    CommonOptions.Quiet quiet;

    /** The last verdict in a few words, for the check command's summary. */
    String verdict = "not run";

    /** The HTML report's file name in --out (check names each command's own). */
    String reportName = dev.ioasid.reports.html.HtmlReport.FILE_NAME;

    private final List<HtmlPages.BoundsRun> runs = new java.util.ArrayList<>();
    private dev.ioasid.reports.Trace mismatch;
    private List<String> mismatchReplay = List.of();

    @Override
    public Integer call() throws BadInputException, java.io.IOException {
        if ((maxStates != null && maxStates < 1) || groupRequests < 1) {
            throw new BadInputException("--max-states and --group-requests must be at least 1");
        }
        out.ready();
        // A bounds file: that one. Else each of the default bounds in turn, until a mismatch.
        List<ExploreConfig.Named> targets = new java.util.ArrayList<>();
        if (bounds.file != null) {
            targets.add(new ExploreConfig.Named("the bounds file", bounds.orElse(null), 2000));
        } else {
            for (ExploreConfig.Named n : ExploreConfig.conformanceBounds()) {
                targets.add(new ExploreConfig.Named(n.name(), bounds.orElse(n.bounds()), n.maxStates()));
            }
        }
        int worst = Main.HOLDS;
        java.util.List<String> verdicts = new java.util.ArrayList<>();
        for (ExploreConfig.Named target : targets) {
            long budget = maxStates != null ? maxStates : impl.inAnotherProcess() ? 200L : target.maxStates();
            ExploreConfig config = new ExploreConfig(target.bounds(), Design.PAGE_TABLE_OWNER, budget, 1, groupRequests);
            int code = Implementations.using(impl.factory(), config.bounds(), factory -> run(factory, config, target.name()));
            verdicts.add(targets.size() == 1 ? this.verdict : target.name() + ": " + this.verdict);
            worst = Main.worse(worst, code);
            if (code != Main.HOLDS && code != Main.INCONCLUSIVE) {
                break; // a mismatch: its trace is the result
            }
        }
        this.verdict = String.join("; ", verdicts);
        HtmlPages.write(out.dir, reportName, HtmlPages.conform(impl.describe(), runs, mismatch, mismatchReplay));
        return worst;
    }

    private Integer run(ImplementationFactory factory, ExploreConfig config, String boundsName) {
        System.out.println("conformance of " + impl.describe() + " on " + TraceRenderer.describe(config.bounds()));
        dev.ioasid.properties.Progress progress = ProgressLine.of("conform", quiet.quiet);
        java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();
        Conformance.Verdict verdict = Interruption.during(
                () -> System.out.printf("%nINTERRUPTED after %,d of at most %,d states: no mismatch in those, but not a pass%n",
                        checked.get(), config.maxStates()),
                () -> Conformance.check(config, factory, states -> {
                    checked.set(states);
                    progress.at("states with every transition checked", states, config.maxStates());
                }));
        System.out.printf("  %,d states, %,d transitions checked, %.1f s, %,.0f transitions/s%n", verdict.states(),
                verdict.transitions(), verdict.seconds(), verdict.seconds() > 0 ? verdict.transitions() / verdict.seconds() : 0);
        runs.add(new HtmlPages.BoundsRun(boundsName, config.bounds(), verdict));
        if (verdict instanceof Conformance.Mismatch mismatch) {
            Path file = out.dir.resolve("conform-" + factory.name() + ".json");
            boolean written = Outputs.writeOrPrint(file, TraceFile.toJson(mismatch.trace().withReach(ReplayLine.reach(factory))),
                    null, null);
            List<String> replay = List.of(ReplayLine.of(file, factory));
            System.out.print(TraceRenderer.text(mismatch.trace(), replay));
            this.mismatch = mismatch.trace();
            this.mismatchReplay = replay;
            this.verdict = "MISMATCH: " + mismatch.trace().headline();
            return written ? Main.VIOLATION : Main.OUTPUT_LOST;
        }
        Conformance.Conforms conforms = (Conformance.Conforms) verdict;
        boolean all = conforms.exhausted();
        System.out.println(all ? "  CONFORMS: every transition of every reachable state"
                : "  CONFORMS so far: no mismatch in the states reached (bound exhausted before every state was)");
        // Breadth first: every state of a shorter path was expanded before any of the deepest.
        int d = conforms.depth();
        System.out.println(all ? "  depth reached: " + d + " (every reachable state, paths of up to " + d + " calls)"
                : "  depth reached: " + d + " (every call checked after every path of up to " + Math.max(0, d - 1)
                        + " calls and after some of " + d + "; raise --max-states to go deeper)");
        this.verdict = (all ? "CONFORMS" : "CONFORMS so far (bound exhausted)")
                + String.format(" (%,d states, %,d transitions)", verdict.states(), verdict.transitions());
        return all ? Main.HOLDS : Main.INCONCLUSIVE;
    }
}
