package dev.ioasid.cli;

import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Rule;
import dev.ioasid.properties.Replay;
import dev.ioasid.properties.RunReport;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import dev.ioasid.reports.TraceRenderer;
import dev.ioasid.reports.html.HtmlReport;
import dev.ioasid.reports.TraceStep;
import io.vavr.collection.List;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Re-runs a trace file against an implementation and says whether it still fails. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a trace file against an implementation; exit 1 if it still fails, 0 if not.")
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE", description = "a trace file written by fuzz")
    Path traceFile;

    @Option(names = "--impl", paramLabel = "NAME",
            description = "implementation (default: the one the trace names, if known, else reference)")
    String impl;

    @picocli.CommandLine.Mixin
    CommonOptions.ImplCommand process;

    @picocli.CommandLine.Mixin
    CommonOptions.Out out;

    @Override
    public Integer call() throws BadInputException, java.io.IOException {
        Trace trace;
        try {
            trace = TraceFile.read(traceFile);
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
        out.ready();
        if (impl == null && process.command == null && trace.implementation().startsWith("model/")) {
            return replayOnModel(trace);
        }
        if (impl != null && process.command != null) {
            throw new BadInputException("--impl and --impl-cmd name two implementations: give one");
        }
        String name = impl != null || process.command != null ? impl : reachable(trace);
        return Implementations.using(process.factoryOr(name), trace.bounds(), factory -> replay(trace, factory));
    }

    private Integer replay(Trace trace, ImplementationFactory factory) {
        List<Operation> ops = List.ofAll(trace.steps()).map(TraceStep::op);
        List<io.vavr.control.Option<Result>> before = List.ofAll(trace.steps())
                .map(s -> io.vavr.control.Option.of(s.observed()));
        Replay.Replayed replayed = Replay.run(trace.bounds(), factory, ops, before);
        java.util.List<String> replay = java.util.List.of(ReplayLine.of(traceFile, factory));
        if (replayed.failure().isEmpty()) {
            String line = traceFile + " no longer fails against " + factory.name() + " (" + ops.size() + " steps replayed)";
            System.out.println("PASSES: " + line);
            HtmlPages.write(out.dir, HtmlReport.FILE_NAME, HtmlPages.replay(traceFile, factory.name(), false, line, null, replay));
            return Main.HOLDS;
        }
        java.util.List<dev.ioasid.reports.TraceStep> steps = RunReport.traceSteps(trace.bounds(), replayed.records());
        RunReport.addUnanswered(steps, replayed.failure().get());
        Trace again = new Trace("replay", factory.name(), trace.bounds(), OptionalLong.empty(),
                replayed.failure().get().headline(), replayed.failure().get().rules().map(Rule::id).toJavaList(),
                steps.size() - 1, steps);
        System.out.print(TraceRenderer.text(again, replay));
        HtmlPages.write(out.dir, HtmlReport.FILE_NAME, HtmlPages.replay(traceFile, factory.name(), true,
                again.headline(), again, replay));
        return Main.VIOLATION;
    }

    /**
     * An explorer trace is a path of the model itself under a fault-routing design: replaying it
     * means stepping the model under that design and checking every state's invariants again.
     */
    private Integer replayOnModel(Trace trace) throws BadInputException {
        String name = trace.implementation().substring("model/".length());
        dev.ioasid.model.ModelState state = dev.ioasid.explorer.ExploreTraces.parseModelName(name, trace.bounds())
                .orElseThrow(() -> new BadInputException(traceFile + ": implementation: unknown design '" + name
                        + "' (a design, then optionally + and a fault delivery: page-table-owner+interleaved)"));
        java.util.List<String> replay = java.util.List.of("java -jar " + ReplayLine.JAR + " replay " + traceFile);
        for (int i = 0; i < trace.steps().size(); i++) {
            Operation op = trace.steps().get(i).op();
            state = dev.ioasid.model.Model.step(state, op).canonical().next();
            var broken = dev.ioasid.model.invariants.Invariants.firstViolation(state);
            if (broken.isDefined()) {
                String line = "design " + name + " breaks \"" + broken.get()._1.name() + "\" at step " + (i + 1) + " (" + op
                        + "): " + broken.get()._2;
                System.out.println("STILL FAILS: " + line);
                Trace now = new Trace("replay", trace.implementation(), trace.bounds(), OptionalLong.empty(), line,
                        broken.get()._1.rules().map(Rule::id).toJavaList(), i, trace.steps().subList(0, i + 1));
                HtmlPages.write(out.dir, HtmlReport.FILE_NAME, HtmlPages.replay(traceFile, trace.implementation(), true, line,
                        now, replay));
                return Main.VIOLATION;
            }
        }
        String line = traceFile + " breaks no invariant of design " + name + " any more";
        System.out.println("PASSES: " + line);
        HtmlPages.write(out.dir, HtmlReport.FILE_NAME, HtmlPages.replay(traceFile, trace.implementation(), false, line, null, replay));
        return Main.HOLDS;
    }

    /**
     * The implementation the trace names, if this command can reach it; else bad input: replaying
     * against another implementation and reporting that the trace "no longer fails" would be a false green.
     */
    private String reachable(Trace trace) throws BadInputException {
        String named = trace.implementation();
        if (Implementations.names().contains(named)) {
            return named;
        }
        if (Implementations.names().contains("mutant:" + named)) {
            return "mutant:" + named;
        }
        String recorded = trace.reach() == null ? "" : "; it was reached with: " + trace.reach();
        throw new BadInputException(traceFile + ": made against implementation '" + named + "', which this command"
                + " cannot reach" + recorded + ". Say which implementation to replay against: --impl-cmd CMD for a"
                + " process, or --impl NAME with its jar on the class path (java -cp " + ReplayLine.JAR
                + ":YOUR.jar dev.ioasid.cli.Main replay ...)");
    }

}
