package dev.ioasid.properties;

import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import dev.ioasid.model.StateDiff;
import dev.ioasid.model.invariants.Invariants;
import dev.ioasid.reports.SummaryRenderer;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceRenderer;
import dev.ioasid.reports.TraceStep;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Turns property results into the shared trace data and into text for people. */
public final class RunReport {

    private RunReport() {
    }

    public static Trace trace(PropertyResult.Falsified falsified) {
        List<TraceStep> steps = traceSteps(falsified.config().bounds(), falsified.trace());
        Failure failure = falsified.shrunk().failure();
        addUnanswered(steps, failure);
        Trace trace = new Trace("fuzz", falsified.implementation(), falsified.config().bounds(),
                OptionalLong.of(falsified.config().seed()), failure.headline(),
                failure.rules().map(Rule::id).toJavaList(), Math.min(failure.step(), steps.size() - 1), steps);
        return falsified.cause().filter(c -> c.step() < trace.failingStep())
                .map(c -> trace.withCause(c.forTrace())).getOrElse(trace);
    }

    /**
     * Appends the step that got no result, when the implementation threw or broke the protocol
     * there: a trace shows the call that was left unanswered.
     */
    public static void addUnanswered(List<TraceStep> steps, Failure failure) {
        dev.ioasid.contract.Operation op = failure instanceof Failure.Broke broke ? broke.op()
                : failure instanceof Failure.Crashed crashed ? crashed.op() : null;
        if (op != null) {
            steps.add(TraceStep.unanswered(op));
        }
    }

    /**
     * Checked steps as trace steps, each with what it changed in the model's state: the model is
     * replayed along the results the implementation returned (a failing step changes nothing).
     */
    public static List<TraceStep> traceSteps(dev.ioasid.contract.Bounds bounds, io.vavr.collection.List<StepRecord> records) {
        List<TraceStep> steps = new java.util.ArrayList<>();
        ModelState state = Model.initial(bounds);
        for (StepRecord record : records) {
            ModelState next = Model.step(state, record.op()).accept(record.observed()).map(s -> s.next()).getOrElse(state);
            steps.add(new TraceStep(record.op(), record.observed(), record.expected(),
                    record.rules().map(Rule::id).toJavaList(), StateDiff.changes(state, next)));
            state = next;
        }
        return steps;
    }

    /** The lines that replay a failure: the trace file, and the run that found it. */
    public static List<String> replayHints(PropertyResult.Falsified falsified, Path traceFile) {
        PropertyConfig c = falsified.config();
        if (falsified.sequence() < 0) {
            return List.of("java -jar cli/target/ioasid-contract.jar replay " + traceFile); // from the corpus: no seed
        }
        return List.of(
                "java -jar cli/target/ioasid-contract.jar replay " + traceFile,
                "mvn -B test -Dioasid.seed=" + c.seed() + " -Dioasid.tries=" + (falsified.sequence() + 1)
                        + " -Dioasid.length=" + c.length() + "   (sequence " + falsified.sequence() + " of that run)");
    }

    public static String failureText(PropertyResult.Falsified falsified, Path traceFile) {
        return failureText(falsified, replayHints(falsified, traceFile));
    }

    /** The failure with these lines to replay it (the command line prints only what replays its own run). */
    public static String failureText(PropertyResult.Falsified falsified, List<String> replay) {
        String rendered = TraceRenderer.text(trace(falsified), replay);
        if (falsified.shrunk().budgetExhausted()) {
            rendered = rendered.replaceFirst("minimal trace \\(", "smallest trace found, not proven minimal (");
        }
        return rendered + String.format("%s in %.2f s (failing sequence had %d steps); shrunk to %d in %d replays, %.2f s%s%n",
                foundAfter(falsified),
                falsified.secondsToFind(), falsified.originalLength(),
                falsified.shrunk().ops().size(), falsified.shrunk().replays(), falsified.secondsToShrink(),
                falsified.shrunk().budgetExhausted()
                        ? " (shrinking stopped by its budget, --shrink-time or 50,000 replays: the trace may not be minimal)" : "");
    }

    /**
     * When the failure was found: after how many sequences of this run; a shard's run also names the
     * failing sequence's index in the unsharded run, which is what replays it with the seed.
     */
    static String foundAfter(PropertyResult.Falsified falsified) {
        if (falsified.sequence() < 0) {
            return "found again by replaying the corpus, before any random sequence";
        }
        long ran = falsified.coverage().sequences();
        if (ran == 0 || ran == falsified.sequence() + 1) {
            return "found after " + (falsified.sequence() + 1) + " sequences";
        }
        return "found after " + ran + " sequences of this shard (sequence " + falsified.sequence()
                + " of the unsharded run)";
    }

    public static String summary(PropertyResult result) {
        Coverage c = result.coverage();
        PropertyConfig config = result.config();
        String verdict = result instanceof PropertyResult.Passed ? "PASSED"
                : ((PropertyResult.Falsified) result).shrunk().failure() instanceof Failure.Broke
                ? "PROTOCOL BROKEN (the implementation stopped keeping the protocol; not a contract violation)"
                : "FALSIFIED";
        double seconds = result instanceof PropertyResult.Passed p ? p.seconds()
                : ((PropertyResult.Falsified) result).secondsToFind();
        List<String> facts = List.of(
                "implementation: " + result.implementation(),
                "bounds: " + TraceRenderer.describe(config.bounds()),
                "seed: " + config.seed() + ", sequences: " + c.sequences() + " of " + config.tries()
                        + ", length: " + config.length() + ", steps: " + c.steps(),
                String.format("time: %.2f s, %.0f checked steps/s", seconds, seconds > 0 ? c.steps() / seconds : 0),
                "invariants checked on every new state: " + Invariants.ALL.size(),
                "stale stage-1 translations observed and accepted (XLT-4): " + c.staleAccepted() + " of "
                        + c.nestedDma() + " DMA through nested tables");
        return SummaryRenderer.text("property run against the model: " + verdict, facts, c.outcomes(),
                c.rules().stream().map(Rule::id).toList(),
                java.util.Arrays.stream(Rule.values()).map(Rule::id).toList()) + Health.text(c, config.bounds().profile());
    }
}
