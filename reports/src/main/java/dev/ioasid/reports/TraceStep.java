package dev.ioasid.reports;

import dev.ioasid.contract.MayBeAbsent;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.List;

/**
 * One step of a trace: the call, what the implementation returned, what the model allowed, the
 * rules that decided, and what the step changed in the model's state ({@code + line}, {@code ~ line},
 * {@code - line}). {@code observed} is absent (null) where the implementation gave no result: it
 * threw, or an external process crashed, hung or broke the protocol there.
 */
public record TraceStep(Operation op, @MayBeAbsent Result observed, String expected, List<String> rules,
                        List<String> changes) {

    /** The step of a call the implementation gave no result for. */
    public static TraceStep unanswered(Operation op) {
        return new TraceStep(op, null, "a result", List.of(), List.of());
    }

    /** What the implementation returned, for people: the result, or that there was none. */
    public String shownObserved() {
        return observed == null ? "(no answer)" : observed.toString();
    }

    public TraceStep {
        rules = List.copyOf(rules);
        changes = List.copyOf(changes);
    }
}
