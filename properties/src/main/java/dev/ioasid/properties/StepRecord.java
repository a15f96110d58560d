package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Rule;
import dev.ioasid.model.Transition;
import io.vavr.collection.List;

/**
 * One checked step: the call, what the implementation returned, what the model allowed, and the
 * rules that decided. What was expected is rendered only when asked (for traces), not on every step.
 */
public record StepRecord(Operation op, Result observed, Transition allowed, List<Rule> rules) {

    public String expected() {
        return allowed.expected();
    }
}
