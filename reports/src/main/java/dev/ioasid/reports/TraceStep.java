package dev.ioasid.reports;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.List;

/**
 * One step of a trace: the call, what the implementation returned, what the model allowed, the
 * rules that decided, and what the step changed in the model's state ({@code + line}, {@code ~ line},
 * {@code - line}).
 */
public record TraceStep(Operation op, Result observed, String expected, List<String> rules, List<String> changes) {
    public TraceStep {
        rules = List.copyOf(rules);
        changes = List.copyOf(changes);
    }
}
