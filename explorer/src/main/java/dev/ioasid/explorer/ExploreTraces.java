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

    /**
     * The design, and the fault delivery when not atomic: {@code page-table-owner},
     * {@code page-table-owner+interleaved} (what replay reads back, {@link #parseModelName}).
     */
    public static String modelName(ExploreConfig config) {
        return config.design().cliName() + (config.delivery().queues() ? "+" + config.delivery().cliName() : "");
    }

    /** The model's initial state a {@link #modelName} names, or empty if it names none. */
    public static java.util.Optional<ModelState> parseModelName(String name, dev.ioasid.contract.Bounds bounds) {
        int plus = name.indexOf('+');
        var design = dev.ioasid.model.Design.byName(plus < 0 ? name : name.substring(0, plus));
        var delivery = plus < 0 ? java.util.Optional.of(dev.ioasid.model.FaultDelivery.ATOMIC)
                : dev.ioasid.model.FaultDelivery.byName(name.substring(plus + 1));
        if (design.isEmpty() || delivery.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Model.initial(bounds, design.get(), delivery.get()));
    }

    public static Trace trace(ExploreConfig config, ExploreResult.Violated violated) {
        List<TraceStep> steps = new java.util.ArrayList<>();
        ModelState state = config.initialState();
        for (ExploreResult.Step s : violated.trace()) {
            ModelState next = Model.step(state, s.op()).canonical().next();
            steps.add(new TraceStep(s.op(), s.result(), s.result().toString(), s.rules().stream().map(Rule::id).toList(),
                    StateDiff.changes(state, next)));
            state = next;
        }
        String headline = "design " + modelName(config) + ": invariant \"" + violated.invariant().name() + "\" "
                + violated.invariant().rules().mkString("(", ", ", ")") + " is violated: " + violated.violation();
        return new Trace("explore", "model/" + modelName(config), config.bounds(), OptionalLong.empty(), headline,
                violated.invariant().rules().map(Rule::id).toJavaList(), steps.size() - 1, steps);
    }
}
