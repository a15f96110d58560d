package dev.ioasid.reports;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.List;

/** One step of a trace: the call, what the implementation returned, what the model allowed, and the rules. */
public record TraceStep(Operation op, Result observed, String expected, List<String> rules) {
    public TraceStep {
        rules = List.copyOf(rules);
    }
}
