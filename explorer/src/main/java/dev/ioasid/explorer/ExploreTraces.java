package dev.ioasid.explorer;

import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import dev.ioasid.model.StateDiff;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceStep;
import java.util.List;
import java.util.OptionalLong;

/** An explorer counterexample in the trace format every engine shares. */
public final class ExploreTraces {

    private ExploreTraces() {
    }

    public static Trace trace(ExploreConfig config, ExploreResult.Violated violated) {
        List<TraceStep> steps = new java.util.ArrayList<>();
        ModelState state = Model.initial(config.bounds(), config.design());
        for (ExploreResult.Step s : violated.trace()) {
            ModelState next = Model.step(state, s.op()).canonical().next();
            steps.add(new TraceStep(s.op(), s.result(), s.result().toString(), s.rules().stream().map(Rule::id).toList(),
                    StateDiff.changes(state, next)));
            state = next;
        }
        String headline = "design " + config.design().cliName() + ": invariant \"" + violated.invariant().name() + "\" "
                + violated.invariant().rules().mkString("(", ", ", ")") + " is violated: " + violated.violation();
        return new Trace("explore", "model/" + config.design().cliName(), config.bounds(), OptionalLong.empty(), headline,
                violated.invariant().rules().map(Rule::id).toJavaList(), steps.size() - 1, steps);
    }
}
